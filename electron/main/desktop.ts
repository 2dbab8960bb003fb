import type { App, Shell } from 'electron';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DesktopAction } from '../core/host/protocol';
import type { ModuleLogger } from '../core/log';

export interface DesktopDeps {
  app: Pick<App, 'isPackaged' | 'setLoginItemSettings'>;
  shell: Pick<Shell, 'openPath'>;
  /** The window's page as a PDF (webContents.printToPDF; see print-report.ts). */
  printPage: () => Promise<Buffer>;
  /** An 80 mm HTML slip, silently on the named printer (print-slip.ts). */
  printSlip: (html: string, printerName: string) => Promise<void>;
  platform: NodeJS.Platform;
  log: ModuleLogger;
}

/**
 * The OS actions, main's side of the Desktop port (electron/core/desktop.ts): the core decides
 * paths and audits after an action succeeded; main only does what the OS part needs.
 */
export function electronDesktop(deps: DesktopDeps) {
  let loginItem: boolean | undefined;
  const openPath = async (path: string) => {
    const problem = await deps.shell.openPath(path);
    if (problem) deps.log.warn(`cannot open ${path}: ${problem}`);
    return problem === '';
  };
  return {
    /** Answers the core's request; a rejection reaches the core as the action's failure. */
    async perform(request: DesktopAction): Promise<boolean> {
      if (request.action === 'openPath') return openPath(request.path);
      if (request.action === 'printSlip') {
        await deps.printSlip(request.html, request.printerName);
        return true;
      }
      await mkdir(dirname(request.path), { recursive: true });
      await writeFile(request.path, await deps.printPage());
      return true;
    },
    startAtLogin(openAtLogin: boolean): void {
      // Only an installed app registers itself (in development it would register electron.exe),
      // and Electron's login items exist on Windows and macOS only.
      if (!deps.app.isPackaged || deps.platform === 'linux' || loginItem === openAtLogin) return;
      loginItem = openAtLogin;
      deps.app.setLoginItemSettings({ openAtLogin });
      deps.log.info(`start at login: ${openAtLogin}`);
    },
  };
}
