import { useT } from '../../i18n/useT';
import { usePrinterStatus } from './usePrinterStatus';

/**
 * One line on the staff screen while slips wait because of a printer problem, in the staff's
 * language; the answers themselves never wait for the printer.
 */
export function PrinterStatusLine() {
  const t = useT();
  const status = usePrinterStatus();
  if (!status || status.waiting === 0 || !status.lastError) return null;
  return (
    <p className="reader-status muted reader-status-bad" data-testid="printer-staff-status">
      <span className="reader-status-error">
        {t('printer.staffLine', { count: status.waiting, problem: t(`printer.problem.${status.lastError.problem}`) })}
      </span>
    </p>
  );
}
