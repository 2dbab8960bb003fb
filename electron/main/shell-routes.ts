import type { Shell } from 'electron';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Routes } from '../core/dispatch';
import type { Logger } from '../core/log';

export interface Desktop {
  shell: Pick<Shell, 'openPath'>;
  /** The window's page as a PDF (webContents.printToPDF; see print-report.ts). */
  printPage: () => Promise<Buffer>;
}

/**
 * The routes whose answer needs the operating system: the core answers (and checks the
 * supervisor's session); main then does the OS part. Only paths the core returned are used.
 */
export function withShell(routes: Routes, desktop: Desktop, log: Logger): Routes {
  const open = async (path: string, what: string) => {
    const problem = await desktop.shell.openPath(path);
    if (problem) log.warn(`[main] cannot open the ${what}: ${problem}`);
    return problem === '';
  };
  return {
    ...routes,
    'system.openLogFolder': async (input) => {
      const answer = await routes['system.openLogFolder'](input);
      return { ...answer, opened: await open(answer.path, 'log folder') };
    },
    'system.saveReportPdf': async (input) => {
      const answer = await routes['system.saveReportPdf'](input);
      await mkdir(dirname(answer.path), { recursive: true });
      await writeFile(answer.path, await desktop.printPage());
      return { ...answer, opened: await open(answer.path, 'report') };
    },
  };
}
