import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Routes } from '../../../electron/core/dispatch';
import { withShell } from '../../../electron/main/shell-routes';

vi.mock('electron', () => ({}));

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), toFolder: vi.fn() };
const session = 's'.repeat(32);
const printPage = vi.fn(async () => Buffer.from('%PDF-1.7 report'));

describe('system.openLogFolder in Electron', () => {
  it('opens exactly the folder the core answered, after the core accepted the call', async () => {
    const core = { 'system.openLogFolder': vi.fn(() => ({ path: '/data/logs', opened: false })) } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => '') };
    await expect(withShell(core, { shell, printPage }, log)['system.openLogFolder']({ session })).resolves.toEqual({
      path: '/data/logs',
      opened: true,
    });
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
    await expect(withShell(core, { shell, printPage }, log)['system.openLogFolder']({ session })).rejects.toThrow('unauthorized');
    expect(shell.openPath).not.toHaveBeenCalled();
  });

  it('says so when the file manager could not open it', async () => {
    const core = { 'system.openLogFolder': () => ({ path: '/data/logs', opened: false }) } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => 'Failed to open path') };
    await expect(withShell(core, { shell, printPage }, log)['system.openLogFolder']({ session })).resolves.toEqual({
      path: '/data/logs',
      opened: false,
    });
    expect(log.warn).toHaveBeenCalled();
  });

  it('leaves every other route as it was', () => {
    const other = vi.fn();
    const core = { 'app.status': other, 'system.openLogFolder': vi.fn() } as unknown as Routes;
    expect(withShell(core, { shell: { openPath: vi.fn() }, printPage }, log)['app.status']).toBe(other);
  });
});

describe('system.saveReportPdf in Electron', () => {
  it('writes the page as a PDF to the path the core chose, then opens it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-pdf-'));
    const path = join(dir, 'reports', 'shift-report.pdf');
    const core = { 'system.saveReportPdf': vi.fn(() => ({ path, opened: false })) } as unknown as Routes;
    const shell = { openPath: vi.fn(async () => '') };
    await expect(withShell(core, { shell, printPage }, log)['system.saveReportPdf']({ session })).resolves.toEqual({
      path,
      opened: true,
    });
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.7 report');
    expect(shell.openPath).toHaveBeenCalledWith(path);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints nothing when the core refuses the session', async () => {
    printPage.mockClear();
    const core = {
      'system.saveReportPdf': vi.fn(() => {
        throw new Error('unauthorized');
      }),
    } as unknown as Routes;
    await expect(
      withShell(core, { shell: { openPath: vi.fn() }, printPage }, log)['system.saveReportPdf']({ session }),
    ).rejects.toThrow('unauthorized');
    expect(printPage).not.toHaveBeenCalled();
  });
});
