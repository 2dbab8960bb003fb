import { useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { submitScan } from './submit-scan';

/**
 * For when neither the scanner nor the camera can read a ticket. A scanner burst never lands
 * here (useScannerWedge holds the keys back), so the box only ever holds what was typed.
 */
export function ManualEntry() {
  const t = useT();
  const [value, setValue] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    submitScan(value, 'keyboard');
    setValue('');
  };
  return (
    <form className="manual" onSubmit={onSubmit}>
      <label htmlFor="manual-code">{t('scan.manual.label')}</label>
      <div className="manual-row">
        <input
          id="manual-code"
          data-testid="manual-input"
          autoComplete="off"
          spellCheck={false}
          maxLength={600}
          value={value}
          placeholder={t('scan.manual.placeholder')}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" data-testid="manual-submit">
          {t('scan.manual.submit')}
        </button>
      </div>
    </form>
  );
}
