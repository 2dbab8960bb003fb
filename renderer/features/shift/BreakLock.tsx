import { useT } from '../../i18n/useT';
import { StaffPinForm } from '../../shared/StaffPinForm';
import { useShift } from '../../stores/shift';
import './shift.css';

const IDS = { form: 'break-lock', pin: 'break-pin', submit: 'break-unlock', error: 'break-error' };

/**
 * The screen while its operator is on a break: their shift stays open, nothing can be scanned
 * (the core refuses it too), and only their PIN unlocks it. A ticket shown to a locked window is
 * not scanned; the operator's own badge just asks for the PIN.
 */
export function BreakLock() {
  const t = useT();
  const operator = useShift((s) => s.state?.operator);
  const signIn = useShift((s) => s.signIn);
  if (!operator) return null;
  return (
    <StaffPinForm
      className="shift-card shift-locked"
      ids={IDS}
      staffNo={operator.staffNo}
      onSubmit={signIn}
      submitLabel={t('shift.unlock')}
    >
      <h2>{t('shift.locked.title')}</h2>
      <p>{t('shift.locked.who', { name: operator.name, staffNo: operator.staffNo })}</p>
    </StaffPinForm>
  );
}
