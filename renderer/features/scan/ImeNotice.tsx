import { useT } from '../../i18n/useT';
import { clearScannerNotice, useScannerNotice } from './scanner-notice';

/** On every screen: a scan lost to the IME must be noticed whoever is at the window. */
export function ImeNotice() {
  const t = useT();
  const at = useScannerNotice((s) => s.imeUnreadableAt);
  if (at === null) return null;
  return (
    <div className="error ime-notice" role="alert" data-testid="ime-notice">
      <strong>{t('scanner.imeUnreadable')}</strong>
      <button type="button" onClick={clearScannerNotice}>
        {t('scanner.dismiss')}
      </button>
    </div>
  );
}
