import { useState, type FormEvent } from 'react';
import { NewOperator, OperatorRole, StaffNo, type OperatorView } from '../../../shared/domain/operators';
import { NewPin } from '../../../shared/domain/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import { formatTime, type MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { useSupervisorData } from '../../shared/useSupervisorData';
import { useApp } from '../../stores/app';
import { supervisorCall } from '../../stores/supervisor';

type Notice = { key: MessageKey; params?: Record<string, string> } | { error: AppError };

/** What is wrong with the add form, checked with the contract's own schemas before the call. */
function problemOf(form: { staffNo: string; name: string; pin: string; repeat: string }): MessageKey | null {
  if (!StaffNo.safeParse(form.staffNo).success) return 'sup.ops.error.staffNo';
  if (!NewOperator.shape.name.safeParse(form.name).success) return 'sup.ops.error.name';
  return pinProblem(form.pin, form.repeat);
}
function pinProblem(pin: string, repeat: string): MessageKey | null {
  if (!NewPin.safeParse(pin).success) return 'sup.ops.error.pin';
  return pin === repeat ? null : 'sup.ops.error.pinMismatch';
}

/**
 * The window's people: list, add (工号, name, role, PIN), reset a PIN, disable or enable. The core
 * audits each change and refuses what must not happen (a 工号 twice, the last supervisor disabled),
 * with its reason in the staff's language.
 */
export function OperatorsPanel() {
  const t = useT();
  const [version, setVersion] = useState(0);
  const { data: operators, error } = useSupervisorData('operators.list', {}, [version]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [resetting, setResetting] = useState<string | null>(null);
  const changed = (next: Notice | null) => {
    setNotice(next);
    setVersion((v) => v + 1);
  };

  const setDisabled = async (staffNo: string, disabled: boolean) => {
    const result = await supervisorCall('operators.setDisabled', { staffNo, disabled });
    // Success shows in the row's state column; only a refusal needs words.
    changed(result.ok ? null : { error: result.error });
  };

  return (
    <div className="sup-panel" data-testid="operators">
      {error && <p className="error">{t(errorKey(error))}</p>}
      {notice && (
        <p className={'error' in notice ? 'error' : 'muted'} data-testid="operators-notice">
          {'error' in notice ? t(errorKey(notice.error)) : t(notice.key, notice.params)}
        </p>
      )}
      <table className="sup-table" data-testid="operators-table">
        <thead>
          <tr>
            <th>{t('sup.ops.staffNo')}</th>
            <th>{t('sup.ops.name')}</th>
            <th>{t('sup.ops.role')}</th>
            <th>{t('sup.ops.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {operators?.map((o) => (
            <OperatorRow
              key={o.staffNo}
              operator={o}
              resetting={resetting === o.staffNo}
              onReset={() => setResetting(resetting === o.staffNo ? null : o.staffNo)}
              onResetDone={(n) => {
                setResetting(null);
                changed(n);
              }}
              onDisable={(disabled) => void setDisabled(o.staffNo, disabled)}
            />
          ))}
        </tbody>
      </table>
      <AddOperator onAdded={changed} />
    </div>
  );
}

function OperatorRow(props: {
  operator: OperatorView;
  resetting: boolean;
  onReset: () => void;
  onResetDone: (notice: Notice) => void;
  onDisable: (disabled: boolean) => void;
}) {
  const t = useT();
  const language = useApp((s) => s.language);
  const o = props.operator;
  const locked = o.lockedUntil !== null && o.lockedUntil > Date.now();
  return (
    <>
      <tr data-testid="operator-row" data-staff-no={o.staffNo} className={o.disabled ? 'muted' : ''}>
        <td>{o.staffNo}</td>
        <td>{o.name}</td>
        <td>{t(`sup.ops.role.${o.role}`)}</td>
        <td data-testid="operator-state">
          {o.disabled ? t('sup.ops.disabled') : t('sup.ops.active')}
          {locked && ` · ${t('sup.ops.lockedUntil', { time: formatTime(language, o.lockedUntil!) })}`}
        </td>
        <td className="sup-row-actions">
          <button type="button" onClick={props.onReset} data-testid="operator-reset">
            {t('sup.ops.resetPin')}
          </button>
          <button
            type="button"
            className={o.disabled ? '' : 'danger'}
            onClick={() => props.onDisable(!o.disabled)}
            data-testid="operator-disable"
          >
            {o.disabled ? t('sup.ops.enable') : t('sup.ops.disable')}
          </button>
        </td>
      </tr>
      {props.resetting && (
        <tr className="sup-detail">
          <td colSpan={5}>
            <ResetPin staffNo={o.staffNo} onDone={props.onResetDone} />
          </td>
        </tr>
      )}
    </>
  );
}

function ResetPin({ staffNo, onDone }: { staffNo: string; onDone: (notice: Notice) => void }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = pinProblem(pin, repeat);
    setProblem(wrong);
    if (wrong) return;
    const result = await supervisorCall('operators.resetPin', { staffNo, pin });
    onDone(result.ok ? { key: 'sup.ops.resetDone', params: { staffNo } } : { error: result.error });
  };
  return (
    <form className="sup-filters" onSubmit={(e) => void submit(e)} data-testid="reset-form">
      <label>
        {t('sup.ops.pin')}
        <PinInput value={pin} onChange={setPin} testId="reset-pin" autoFocus />
      </label>
      <label>
        {t('sup.ops.pinRepeat')}
        <PinInput value={repeat} onChange={setRepeat} testId="reset-repeat" />
      </label>
      <button type="submit" className="primary" data-testid="reset-submit">
        {t('sup.ops.resetPin')}
      </button>
      {problem && <span className="error">{t(problem)}</span>}
    </form>
  );
}

function AddOperator({ onAdded }: { onAdded: (notice: Notice) => void }) {
  const t = useT();
  const empty = { staffNo: '', name: '', role: 'staff' as OperatorRole, pin: '', repeat: '' };
  const [form, setForm] = useState(empty);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const wrong = problemOf(form);
    setProblem(wrong);
    if (wrong) return;
    const { repeat: _repeat, ...operator } = form;
    const result = await supervisorCall('operators.add', { operator });
    if (!result.ok) return setError(result.error);
    setForm(empty);
    onAdded({ key: 'sup.ops.added', params: { staffNo: result.value.staffNo } });
  };
  return (
    <form className="sup-filters" onSubmit={(e) => void submit(e)} data-testid="add-operator">
      <label>
        {t('sup.ops.staffNo')}
        <input
          value={form.staffNo}
          maxLength={32}
          autoComplete="off"
          onChange={(e) => setForm({ ...form, staffNo: e.target.value })}
          data-testid="add-staff-no"
        />
      </label>
      <label>
        {t('sup.ops.name')}
        <input
          value={form.name}
          maxLength={40}
          autoComplete="off"
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          data-testid="add-name"
        />
      </label>
      <label>
        {t('sup.ops.role')}
        <select
          value={form.role}
          onChange={(e) => setForm({ ...form, role: OperatorRole.parse(e.target.value) })}
          data-testid="add-role"
        >
          {OperatorRole.options.map((role) => (
            <option key={role} value={role}>
              {t(`sup.ops.role.${role}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('sup.ops.pin')}
        <PinInput value={form.pin} onChange={(pin) => setForm({ ...form, pin })} testId="add-pin" />
      </label>
      <label>
        {t('sup.ops.pinRepeat')}
        <PinInput value={form.repeat} onChange={(repeat) => setForm({ ...form, repeat })} testId="add-repeat" />
      </label>
      <button type="submit" className="primary" data-testid="add-submit">
        {t('sup.ops.add')}
      </button>
      {(problem || error) && (
        <span className="error" data-testid="add-error">
          {problem ? t(problem) : t(errorKey(error!))}
        </span>
      )}
    </form>
  );
}

function PinInput(props: { value: string; onChange: (v: string) => void; testId: string; autoFocus?: boolean }) {
  return (
    <input
      type="password"
      inputMode="numeric"
      autoComplete="new-password"
      maxLength={12}
      autoFocus={props.autoFocus}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      data-testid={props.testId}
    />
  );
}
