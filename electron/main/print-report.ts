import type { WebContents } from 'electron';

/**
 * The Electron half of printing a shift report: the renderer shows the report (its print CSS
 * hides everything else) and 'system.saveReportPdf' turns that page into an A4 PDF through
 * this. Web mode uses the browser's window.print() instead.
 */
export function printReportToPdf(contents: WebContents): Promise<Buffer> {
  return contents.printToPDF({ pageSize: 'A4', printBackground: false });
}
