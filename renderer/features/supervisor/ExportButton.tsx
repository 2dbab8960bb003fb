import { useState } from 'react';
import type { HistoryFilter } from '../../../shared/domain/history';
import type { ExportFormat } from '../../../shared/domain/supervisor';
import type { AppError } from '../../../shared/ipc/result';
import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';
import { supervisorCall } from '../../stores/supervisor';

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The CSV button and the Excel one beside it, for the same rows. */
export function ExportButtons({
  filter,
  labels = { csv: 'sup.export.button', xlsx: 'sup.export.xlsx' },
  testId = 'export-csv',
}: {
  filter: HistoryFilter;
  labels?: Record<ExportFormat, MessageKey>;
  testId?: string;
}) {
  return (
    <>
      <ExportButton filter={filter} format="csv" label={labels.csv} testId={testId} />
      <ExportButton filter={filter} format="xlsx" label={labels.xlsx} testId={`${testId}-xlsx`} />
    </>
  );
}

/**
 * The core writes the file in batches (the scan path stays responsive), then it comes over in
 * chunks and is saved through the browser's download, in Electron and in web mode alike.
 */
function ExportButton({
  filter,
  format,
  label,
  testId,
}: {
  filter: HistoryFilter;
  format: ExportFormat;
  label: MessageKey;
  testId: string;
}) {
  const t = useT();
  const [state, setState] = useState<{ busy: boolean; done?: number; error?: AppError }>({ busy: false });

  const run = async () => {
    setState({ busy: true });
    const started = await supervisorCall('supervisor.export.start', { filter, format });
    if (!started.ok) return setState({ busy: false, error: started.error });
    const parts: BlobPart[] = [];
    for (let index = 0; index < started.value.chunks; index += 1) {
      const chunk = await supervisorCall('supervisor.export.chunk', { exportId: started.value.exportId, index });
      if (!chunk.ok) return setState({ busy: false, error: chunk.error });
      parts.push(Uint8Array.from(atob(chunk.value.base64), (c) => c.charCodeAt(0)));
    }
    const url = URL.createObjectURL(new Blob(parts, { type: MIME[format] }));
    const link = document.createElement('a');
    link.href = url;
    link.download = started.value.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setState({ busy: false, done: started.value.rows });
  };

  return (
    <span className="sup-export">
      <button type="button" disabled={state.busy} onClick={() => void run()} data-testid={testId}>
        {state.busy ? t('sup.export.working') : t(label)}
      </button>
      {state.done !== undefined && <span data-testid={`${testId}-done`}>{t('sup.export.done', { rows: state.done })}</span>}
      {state.error && <span className="error">{t(errorKey(state.error))}</span>}
    </span>
  );
}
