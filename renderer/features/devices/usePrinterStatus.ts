import { useEffect, useState } from 'react';
import type { PrinterStatus } from '../../../shared/domain/printer';
import { api } from '../../api';

/** The receipt printer's live status: read once, then kept by the core's pushes. */
export function usePrinterStatus(): PrinterStatus | null {
  const [status, setStatus] = useState<PrinterStatus | null>(null);
  useEffect(() => {
    void api.invoke('devices.printer.status', {}).then((r) => r.ok && setStatus(r.value));
    return api.on('printer.status', setStatus);
  }, []);
  return status;
}
