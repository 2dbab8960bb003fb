import { useT } from '../../i18n/useT';
import { StaffPinForm } from '../../shared/StaffPinForm';
import { useShift } from '../../stores/shift';
import './shift.css';

const IDS = {
  form: 'sign-in',
  staffNo: 'sign-in-staff-no',
  pin: 'sign-in-pin',
  submit: 'sign-in-submit',
  error: 'sign-in-error',
};

/** The start of a shift: 工号, Enter, PIN, Enter, with no mouse (a badge works as the 工号). */
export function SignInPanel() {
  const t = useT();
  const signIn = useShift((s) => s.signIn);
  return (
    <StaffPinForm className="shift-card" ids={IDS} onSubmit={signIn} submitLabel={t('shift.signIn.submit')}>
      <h2>{t('shift.signIn.title')}</h2>
      <p className="muted">{t('shift.signIn.hint')}</p>
    </StaffPinForm>
  );
}
