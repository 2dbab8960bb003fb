import { describe, expect, it, vi } from 'vitest';
import type { Routes } from '../../../electron/core/dispatch';
import { withShell } from '../../../electron/main/shell-routes';

vi.mock('electron', () => ({}));

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), toFolder: vi.fn() };
const session = 's'.repeat(32);

describe('system.openLogFolder in Electron', () => {
  it('opens exactly the folder the core answered, after the core accepted the call', async () => {
    const core = { 'system.openLogFolder': vi.fn(() => ({ path: '/data/logs', opened: false })) } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => '') };
    await expect(withShell(core, shell, log)['system.openLogFolder']({ session })).resolves.toEqual({ path: '/data/logs', opened: true });
    expect(core['system.openLogFolder']).toHaveBeenCalledWith({ session });
    expect(shell.openPath).toHaveBeenCalledWith('/data/logs');
  });

  it('opens nothing when the core refuses (no supervisor session)', async () => {
    const core = {
      'system.openLogFolder': vi.fn(() => {
        throw new Error('unauthorized');
      }),
    } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => '') };
    await expect(withShell(core, shell, log)['system.openLogFolder']({ session })).rejects.toThrow('unauthorized');
    expect(shell.openPath).not.toHaveBeenCalled();
  });

  it('says so when the file manager could not open it', async () => {
    const core = { 'system.openLogFolder': () => ({ path: '/data/logs', opened: false }) } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => 'Failed to open path') };
    await expect(withShell(core, shell, log)['system.openLogFolder']({ session })).resolves.toEqual({ path: '/data/logs', opened: false });
    expect(log.warn).toHaveBeenCalled();
  });

  it('leaves every other route as it was', () => {
    const other = vi.fn();
    const core = { 'app.status': other, 'system.openLogFolder': vi.fn() } as unknown as Routes;
    expect(withShell(core, { openPath: vi.fn() }, log)['app.status']).toBe(other);
  });
});
