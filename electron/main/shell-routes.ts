import type { Shell } from 'electron';
import type { Routes } from '../core/dispatch';
import type { Logger } from '../core/log';

/**
 * The routes whose answer needs the operating system: the core answers (and checks the
 * supervisor's session); main then does the OS part. Only paths the core returned are opened.
 */
export function withShell(routes: Routes, shell: Pick<Shell, 'openPath'>, log: Logger): Routes {
  return {
    ...routes,
    'system.openLogFolder': async (input) => {
      const answer = await routes['system.openLogFolder'](input);
      const problem = await shell.openPath(answer.path);
      if (problem) log.warn(`[main] cannot open the log folder: ${problem}`);
      return { ...answer, opened: problem === '' };
    },
  };
}
