import type { AppError } from '../../shared/ipc/result';
import { isDesktop } from '../api';
import { supervisorCall } from '../stores/supervisor';

/**
 * Prints the report on screen (print CSS shows only `.print-report`): to a PDF in the data folder
 * by main in the app, by the browser's print otherwise. It waits a frame so React has painted the
 * report first. `report` names the PDF file.
 */
export function printReport(report: 'shift' | 'day', onError: (error: AppError) => void): void {
  requestAnimationFrame(() => {
    if (!isDesktop) return window.print();
    void supervisorCall('system.saveReportPdf', { report }).then((r) => !r.ok && onError(r.error));
  });
}
