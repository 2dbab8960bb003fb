import type { WebContents } from 'electron';

/**
 * The Electron half of 'supervisor.printReport': the core route returns the report data, the
 * renderer shows it (its print CSS hides everything else), and this turns that page into an A4
 * PDF. Wire it where main handles the print request; web mode uses window.print() instead.
 */
export function printReportToPdf(contents: WebContents): Promise<Buffer> {
  return contents.printToPDF({ pageSize: 'A4', printBackground: false });
}
