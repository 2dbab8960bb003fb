import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/db/connection';
import { webDesktop } from '../../../electron/core/desktop';
import { PrintDesk } from '../../../electron/core/printing/print-desk';
import { SettingsStore } from '../../../electron/core/settings/store';
import type { PrinterSetting } from '../../../shared/domain/printer';
import { tempDir } from '../../support/temp';

/**
 * The desk's loop reads the clock each time it looks at its queue. Idle with nothing to ask, it
 * must sleep until woken: it shares the core's event loop with every visitor's answer.
 */
async function looksWhileIdle(printer: Partial<PrinterSetting>): Promise<number> {
  const dir = tempDir('tw-print-idle-');
  const db = openDatabase(join(dir.path, 'ticket-window.db'));
  const settings = new SettingsStore(db);
  settings.update({ printer: { ...settings.get().printer, ...printer } });
  let looks = 0;
  const desk = new PrintDesk({
    db,
    settings,
    desktop: webDesktop,
    now: () => {
      looks += 1;
      return Date.now();
    },
    onStatus: () => undefined,
  });
  desk.start();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const settled = looks;
  await new Promise((resolve) => setTimeout(resolve, 600));
  await desk.close();
  db.close();
  dir.remove();
  return looks - settled;
}

describe('the print desk while idle', () => {
  it('printing off: no look at the queue until something wakes it (it polled every 50 ms)', async () => {
    expect(await looksWhileIdle({ mode: 'off' })).toBe(0);
  });

  it('a Windows printer, which has no status probe: no polling either', async () => {
    expect(await looksWhileIdle({ mode: 'after_verify', target: { kind: 'windows', printerName: 'POS-80', via: 'raw' } })).toBe(
      0,
    );
  });
});
