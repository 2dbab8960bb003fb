import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../core/log';

/** Reloads allowed within a window of time before a crash loop is declared. */
export class CrashLoopGuard {
  private reloads: number[] = [];

  constructor(
    private readonly maxReloads = 3,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a reload if one is still allowed. */
  tryReload(): boolean {
    const at = this.now();
    this.reloads = this.reloads.filter((t) => at - t < this.windowMs);
    if (this.reloads.length >= this.maxReloads) return false;
    this.reloads.push(at);
    return true;
  }

  reset(): void {
    this.reloads = [];
  }
}

export interface RecoveryOptions {
  log: Logger;
  guard?: CrashLoopGuard;
  /** How long a hung renderer gets to answer again before it is restarted. */
  hangGraceMs?: number;
  /** Called instead of a reload once the guard refuses: the crash loop is for a person to see. */
  onCrashLoop: (reloadAnyway: () => void) => void;
}

/**
 * Keeps the gate working after a renderer crash or hang: the page reloads and reads its state
 * back from main (every scan is already in SQLite). A renderer that keeps dying stops being
 * reloaded after a few tries, so a broken build cannot spin the CPU behind the staff's back.
 */
export function recoverRenderer(win: BrowserWindow, options: RecoveryOptions): void {
  const guard = options.guard ?? new CrashLoopGuard();
  const contents = win.webContents;
  let hang: ReturnType<typeof setTimeout> | undefined;
  const reload = () => {
    if (!win.isDestroyed()) contents.reload();
  };

  contents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    clearTimeout(hang);
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    options.log.error(`[main] renderer gone (${details.reason}, exit code ${details.exitCode})`);
    if (guard.tryReload()) {
      options.log.warn('[main] reloading the window');
      reload();
    } else {
      options.log.error('[main] renderer crash loop: no more automatic reloads');
      options.onCrashLoop(() => {
        guard.reset();
        reload();
      });
    }
  });
  win.on('unresponsive', () => {
    options.log.warn('[main] renderer not responding');
    clearTimeout(hang);
    hang = setTimeout(() => {
      if (win.isDestroyed()) return;
      options.log.error('[main] renderer still hung: restarting it');
      // The render-process-gone that follows does the reload, under the same crash-loop guard.
      contents.forcefullyCrashRenderer();
    }, options.hangGraceMs ?? 10_000);
  });
  win.on('responsive', () => {
    if (hang) options.log.info('[main] renderer responding again');
    clearTimeout(hang);
    hang = undefined;
  });
}
