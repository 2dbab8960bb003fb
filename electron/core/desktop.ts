import { RouteError } from '../../shared/ipc/result';

/**
 * The OS actions a route needs (the Desktop port, issue 12 item 6). Electron's main implements
 * it (the core's process reaches it over the host protocol); the web transport has none of them,
 * and says so with a Result code the renderer translates.
 */
export interface Desktop {
  /** Prints the page on screen (the shift report, through its print CSS) to a PDF at `path`. */
  savePdf(path: string): Promise<void>;
  /** Opens a file or folder in the file manager; false when the OS could not. */
  openPath(path: string): Promise<boolean>;
  /**
   * Prints an 80 mm HTML slip (小票) on the Windows printer of that name, silently; rejects with
   * why it could not (no such printer, the driver refused).
   */
  printSlip(html: string, printerName: string): Promise<void>;
}

export const webDesktop: Desktop = {
  savePdf: () => Promise.reject(new RouteError('not_available', 'not available in web mode: print the page instead')),
  // The supervisor is shown the path instead.
  openPath: () => Promise.resolve(false),
  printSlip: () => Promise.reject(new RouteError('not_available', 'Windows printers are reached from the app, not web mode')),
};
