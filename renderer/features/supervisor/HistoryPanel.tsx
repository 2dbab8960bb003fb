import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  Outcome,
  type AttemptView,
  type HistoryCursor,
  type HistoryFilter,
  type HistoryRow,
} from '../../../shared/domain/history';
import type { AppError } from '../../../shared/ipc/result';
import { formatTime, isMessageKey, type MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useApp } from '../../stores/app';
import { errorKey } from '../../shared/errors';
import { yuan } from '../../../shared/domain/money';
import { CouponUndoCell } from './CouponUndoCell';
import { ExportButtons } from './ExportButton';
import { supervisorCall } from '../../stores/supervisor';

const PAGE = 50;
const DAY = 86_400_000;

/** <input type="date"> values are Beijing dates; the filter wants unix ms. */
const startOfBeijingDay = (date: string) => Date.parse(`${date}T00:00:00+08:00`);
const todayInBeijing = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Form {
  from: string;
  to: string;
  outcome: string;
  staff: string;
  project: string;
  search: string;
}

function toFilter(form: Form): HistoryFilter {
  const filter: HistoryFilter = {};
  if (form.from) filter.from = startOfBeijingDay(form.from);
  if (form.to) filter.to = startOfBeijingDay(form.to) + DAY;
  if (form.outcome) filter.outcome = Outcome.parse(form.outcome);
  if (form.staff.trim()) filter.staff = form.staff.trim();
  if (form.project.trim()) filter.project = form.project.trim();
  if (form.search.trim()) filter.search = form.search.trim();
  return filter;
}

export function HistoryPanel() {
  const t = useT();
  const language = useApp((s) => s.language);
  const [form, setForm] = useState<Form>({
    from: todayInBeijing(),
    to: todayInBeijing(),
    outcome: '',
    staff: '',
    project: '',
    search: '',
  });
  const [filter, setFilter] = useState<HistoryFilter>(() => toFilter(form));
  const [rows, setRows] = useState<HistoryRow[]>([]);
  const [next, setNext] = useState<HistoryCursor | undefined>();
  const [error, setError] = useState<AppError | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const load = useCallback(async (f: HistoryFilter, after?: HistoryCursor) => {
    const result = await supervisorCall(
      'supervisor.history',
      after ? { filter: f, after, limit: PAGE } : { filter: f, limit: PAGE },
    );
    if (!result.ok) return setError(result.error);
    setError(null);
    setRows((prev) => (after ? [...prev, ...result.value.rows] : result.value.rows));
    setNext(result.value.next);
  }, []);

  useEffect(() => {
    void load(filter);
  }, [filter, load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (form.search.trim() && form.search.trim().length < 3)
      return setError({ code: 'bad_input', message: '', detail: 'sup.history.searchShort' });
    setFilter(toFilter(form));
  };
  const field = (name: keyof Form) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });

  return (
    <div className="sup-panel" data-testid="history">
      <form className="sup-filters no-print" onSubmit={apply}>
        <label>
          {t('sup.history.from')}
          <input type="date" {...field('from')} />
        </label>
        <label>
          {t('sup.history.to')}
          <input type="date" {...field('to')} />
        </label>
        <label>
          {t('sup.history.outcome')}
          <select {...field('outcome')} data-testid="filter-outcome">
            <option value="">{t('sup.history.any')}</option>
            {Outcome.options.map((o) => (
              <option key={o} value={o}>
                {t(`sup.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sup.history.staff')}
          <input {...field('staff')} maxLength={40} />
        </label>
        <label>
          {t('sup.history.project')}
          <input {...field('project')} maxLength={80} />
        </label>
        <label>
          {t('sup.history.search')}
          <input {...field('search')} maxLength={64} placeholder={t('sup.history.searchHint')} data-testid="history-search" />
        </label>
        <button type="submit" className="primary" data-testid="history-apply">
          {t('sup.history.apply')}
        </button>
        <ExportButtons filter={filter} />
      </form>
      {error && <p className="error">{t(errorKey(error))}</p>}
      <table className="sup-table">
        <thead>
          <tr>
            <th>{t('sup.col.time')}</th>
            <th>{t('sup.col.credential')}</th>
            <th>{t('sup.col.order')}</th>
            <th>{t('sup.col.project')}</th>
            <th>{t('sup.col.outcome')}</th>
            <th>{t('sup.col.staff')}</th>
            <th>{t('sup.col.window')}</th>
            <th>{t('sup.col.attempts')}</th>
            <th>{t('sup.col.people')}</th>
            <th>{t('sup.col.amount')}</th>
            <th>{t('sup.col.undo')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <HistoryLine
              key={row.id}
              row={row}
              language={language}
              open={open === row.id}
              onToggle={() => setOpen(open === row.id ? null : row.id)}
              onChanged={() => void load(filter)}
            />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !error && <p className="muted">{t('sup.history.empty')}</p>}
      {next && (
        <button type="button" onClick={() => void load(filter, next)} data-testid="history-more">
          {t('sup.history.more')}
        </button>
      )}
    </div>
  );
}

/** An attempt's outcome is its class, with the transport's reason after a colon (`transient:timeout`). */
function attemptText(t: (key: MessageKey) => string, outcome: string): string {
  // An offline-admitted coupon's later prepare (worker's 'prepare:' label): read like a verify's, marked.
  if (outcome.startsWith('prepare:')) return `${t('sup.attempt.prepare')} · ${attemptText(t, outcome.slice('prepare:'.length))}`;
  const [kind = '', reason] = outcome.split(':');
  const key = `sup.attempt.${kind}`;
  if (!isMessageKey(key)) return outcome;
  return reason ? `${t(key)} (${reason})` : t(key);
}

function HistoryLine({
  row,
  language,
  open,
  onToggle,
  onChanged,
}: {
  row: HistoryRow;
  language: 'zh-CN' | 'en';
  open: boolean;
  onToggle: () => void;
  /** Something on the row changed (an undo): read the page again. */
  onChanged: () => void;
}) {
  const t = useT();
  return (
    <>
      <tr className={`outcome-${row.outcome}`} onClick={onToggle} data-testid="history-row">
        <td>
          {new Date(row.at).toLocaleDateString(language, { timeZone: 'Asia/Shanghai' })} {formatTime(language, row.at)}
        </td>
        <td className="code">{row.credentialDisplay}</td>
        <td className="code">{row.orderId ?? '—'}</td>
        <td>{row.projectName ?? row.projectId ?? '—'}</td>
        <td>{t(`sup.outcome.${row.outcome}`)}</td>
        <td>{row.staff || '—'}</td>
        <td>{row.windowName}</td>
        <td>{row.attemptCount}</td>
        <td>{row.coupon?.people ?? '—'}</td>
        <td>{row.coupon?.amountFen == null ? '—' : yuan(row.coupon.amountFen)}</td>
        {row.coupon ? <CouponUndoCell row={row} onChanged={onChanged} /> : <td>—</td>}
      </tr>
      {open && (
        <tr className="sup-detail">
          <td colSpan={11}>
            <div>
              {t(`reason.${row.reason}`)}
              {row.douyinMessage && ` · ${t('answer.douyin', { message: row.douyinMessage })}`}
              {row.lastReason && ` · ${row.lastReason}`}
              {row.poiId && ` · ${t('sup.poi', { id: row.poiId })}`}
            </div>
            {row.attemptCount > 0 && <Attempts scanId={row.id} language={language} />}
            <SlipButton scanId={row.id} />
          </td>
        </tr>
      )}
    </>
  );
}

/** An opened row's attempts, read when it opens (a page carries only their count). */
function Attempts({ scanId, language }: { scanId: number; language: 'zh-CN' | 'en' }) {
  const t = useT();
  const [attempts, setAttempts] = useState<AttemptView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let current = true;
    void supervisorCall('supervisor.history.attempts', { scanId }).then((result) => {
      if (!current) return;
      if (result.ok) setAttempts(result.value);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [scanId]);
  if (error) return <p role="alert">{t(errorKey(error))}</p>;
  if (!attempts) return <p className="muted">{t('sup.history.attemptsLoading')}</p>;
  return (
    <ol data-testid="history-attempts">
      {attempts.map((a, i) => (
        <li key={i}>
          {formatTime(language, a.startedAt)} · {attemptText(t, a.outcome)}
          {a.errorCode !== null && ` · ${a.errorCode}`} · {t('sup.history.logid')} <span className="code">{a.logid ?? '—'}</span>
          {a.message && ` · ${a.message}`}
        </li>
      ))}
    </ol>
  );
}

/** "Print slip" on a history row: queued like any slip (printed after, marked as a reprint). */
function SlipButton({ scanId }: { scanId: number }) {
  const t = useT();
  const [said, setSaid] = useState<string | null>(null);
  return (
    <p>
      <button
        type="button"
        data-testid="history-print-slip"
        onClick={async () => {
          const result = await supervisorCall('devices.printer.printScan', { scanId });
          setSaid(result.ok ? t('printer.slipQueued') : t(errorKey(result.error)));
        }}
      >
        {t('printer.printSlip')}
      </button>
      {said && <span role="status"> {said}</span>}
    </p>
  );
}
