import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { ImportReport } from '../../../shared/domain/vouchers';
import type { AppError } from '../../../shared/ipc/result';
import { api } from '../../api';
import { isMessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';

/**
 * Loading the provider's issued vouchers: a JSON Lines file the supervisor picks, or the
 * provider's feed. The file is read here and sent whole; main validates every line and refuses
 * the file whole if any line is bad, so this screen only reports.
 */
export function VouchersPanel() {
  const t = useT();
  const [orders, setOrders] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const refresh = () => void api.invoke('vouchers.summary', {}).then((r) => r.ok && setOrders(r.value.orders));
  useEffect(refresh, []);

  const run = async (call: () => ReturnType<typeof supervisorCall<'vouchers.import'>>) => {
    setBusy(true);
    setError(null);
    setReport(null);
    const result = await call();
    setBusy(false);
    if (result.ok) setReport(result.value);
    else setError(result.error);
    refresh();
  };
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void run(async () => supervisorCall('vouchers.import', { text: await file.text() }));
  };

  return (
    <div className="sup-panel" data-testid="vouchers">
      <p>{orders === null ? '' : t('vouchers.count', { count: orders })}</p>
      <div className="sup-actions">
        <button type="button" disabled={busy} onClick={() => input.current?.click()} data-testid="vouchers-choose">
          {t('vouchers.importFile')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => supervisorCall('vouchers.pull', {}))}
          data-testid="vouchers-pull"
        >
          {t('vouchers.pull')}
        </button>
        <input ref={input} type="file" accept=".jsonl,.json,.txt" hidden onChange={onFile} data-testid="vouchers-file" />
      </div>
      <p className="muted">{t('vouchers.help')}</p>
      {busy && <p>{t('vouchers.working')}</p>}
      {error && (
        <p className="error" role="alert">
          {t(errorKey(error))}
        </p>
      )}
      {report?.ok && (
        <p data-testid="vouchers-result">{t('vouchers.done', { orders: report.orders, changed: report.changed })}</p>
      )}
      {report && !report.ok && (
        <div role="alert" data-testid="vouchers-result">
          <p className="error">{t('vouchers.refused', { count: report.totalErrors })}</p>
          <ul>
            {report.errors.map((e, i) => {
              const key = `vouchers.error.${e.key}`;
              const where = e.line === 0 ? t('vouchers.file') : t('vouchers.line', { line: e.line });
              return (
                <li key={i}>
                  {where}: {isMessageKey(key) ? t(key, e.params) : e.key}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
