import { EventEmitter } from 'node:events';
import type { BrowserWindow } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../electron/core/log';
import { CrashLoopGuard, recoverRenderer } from '../../../electron/main/recovery';

vi.mock('electron', () => ({}));

function fakeWindow() {
  const contents = Object.assign(new EventEmitter(), { reload: vi.fn(), forcefullyCrashRenderer: vi.fn() });
  const win = Object.assign(new EventEmitter(), { webContents: contents, isDestroyed: vi.fn(() => false) });
  return { win, contents };
}
const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), toFolder: vi.fn() }) satisfies Logger;
const gone = (reason: string) => ({ reason, exitCode: 134 });

afterEach(() => vi.useRealTimers());

describe('after a renderer crash', () => {
  it('reloads the window and logs the incident', () => {
    const { win, contents } = fakeWindow();
    const log = logger();
    recoverRenderer(win as unknown as BrowserWindow, { log, onCrashLoop: vi.fn() });
    contents.emit('render-process-gone', {}, gone('crashed'));
    expect(contents.reload).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]![0]).toMatch(/renderer gone \(crashed, exit code 134\)/);
  });

  it('does nothing for a clean exit', () => {
    const { win, contents } = fakeWindow();
    recoverRenderer(win as unknown as BrowserWindow, { log: logger(), onCrashLoop: vi.fn() });
    contents.emit('render-process-gone', {}, gone('clean-exit'));
    expect(contents.reload).not.toHaveBeenCalled();
  });

  it('stops reloading after 3 crashes in a minute and asks a person instead', () => {
    let now = 0;
    const { win, contents } = fakeWindow();
    const onCrashLoop = vi.fn();
    recoverRenderer(win as unknown as BrowserWindow, {
      log: logger(),
      guard: new CrashLoopGuard(3, 60_000, () => now),
      onCrashLoop,
    });
    for (let i = 0; i < 4; i++) {
      contents.emit('render-process-gone', {}, gone('crashed'));
      now += 5_000;
    }
    expect(contents.reload).toHaveBeenCalledTimes(3);
    expect(onCrashLoop).toHaveBeenCalledTimes(1);
    // The person chose to reload anyway: a fresh budget.
    onCrashLoop.mock.calls[0]![0]();
    expect(contents.reload).toHaveBeenCalledTimes(4);
    contents.emit('render-process-gone', {}, gone('crashed'));
    expect(contents.reload).toHaveBeenCalledTimes(5);
  });
});

describe('a hung renderer', () => {
  it('is restarted when it stays unresponsive past the grace period; the crash path reloads it', () => {
    vi.useFakeTimers();
    const { win, contents } = fakeWindow();
    recoverRenderer(win as unknown as BrowserWindow, { log: logger(), hangGraceMs: 10_000, onCrashLoop: vi.fn() });
    win.emit('unresponsive');
    vi.advanceTimersByTime(9_999);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(contents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
    contents.emit('render-process-gone', {}, gone('killed'));
    expect(contents.reload).toHaveBeenCalledTimes(1);
  });

  it('is left alone when it answers again in time', () => {
    vi.useFakeTimers();
    const { win, contents } = fakeWindow();
    recoverRenderer(win as unknown as BrowserWindow, { log: logger(), hangGraceMs: 10_000, onCrashLoop: vi.fn() });
    win.emit('unresponsive');
    vi.advanceTimersByTime(5_000);
    win.emit('responsive');
    vi.advanceTimersByTime(60_000);
    expect(contents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });
});

describe('the crash-loop guard', () => {
  it('allows again once old reloads leave the window', () => {
    let now = 0;
    const guard = new CrashLoopGuard(3, 60_000, () => now);
    expect([guard.tryReload(), guard.tryReload(), guard.tryReload(), guard.tryReload()]).toEqual([true, true, true, false]);
    now = 60_000;
    expect(guard.tryReload()).toBe(true);
  });
});
