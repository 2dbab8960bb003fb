import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INITIAL_UPDATE_STATE, installDecision, installersToKeep, onStart } from '../../../electron/main/update-policy';
import { UpdateStore } from '../../../electron/main/update-store';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
let unreadable: unknown[];
beforeEach(() => {
  dir = tempDir('tw-update-store-');
  unreadable = [];
});
afterEach(() => dir.remove());

const open = () => new UpdateStore(dir.path, (error) => unreadable.push(error));
const stateFile = () => join(dir.path, 'updates', 'state.json');

describe('main’s update store (files in the data folder)', () => {
  it('starts from nothing (creating nothing), and reads back what was written, as a new process would', () => {
    expect(open().read()).toEqual(INITIAL_UPDATE_STATE);
    expect(open().kept()).toEqual([]);
    expect(readdirSync(dir.path)).toEqual([]);
    const decided = installDecision({ ...INITIAL_UPDATE_STATE, downloaded: '1.1.0' }, '1.0.0', { shiftOpen: false, unsynced: 0 });
    if (!decided.install) throw new Error('expected an install');
    open().write(decided.state);
    // The next start (a new process, a new store) counts the trial from the file.
    const next = open();
    const started = onStart(next.read(), '1.1.0', next.kept());
    expect(started.state.trial).toEqual({ version: '1.1.0', from: '1.0.0', starts: 1 });
    expect(readdirSync(join(dir.path, 'updates')).sort()).toEqual(['installers', 'state.json']);
    expect(unreadable).toEqual([]);
  });

  it.each([
    ['half-written JSON', '{"lastCheckAt": 12, "downl'],
    ['a version that is not one', JSON.stringify({ ...INITIAL_UPDATE_STATE, downloaded: '../../evil' })],
  ])('starts over from %s, and says so', (_, text) => {
    mkdirSync(join(dir.path, 'updates'));
    writeFileSync(stateFile(), text);
    expect(open().read()).toEqual(INITIAL_UPDATE_STATE);
    expect(unreadable).toHaveLength(1);
  });

  it('keeps installers by version, byte for byte, lists only those, and prunes the rest', () => {
    const store = open();
    const downloads = tempDir('tw-updater-cache-');
    try {
      const bytes = { '1.0.0': randomBytes(70_000), '1.1.0': randomBytes(90_000), '1.2.0': randomBytes(50_000) };
      for (const [version, data] of Object.entries(bytes)) {
        const file = join(downloads.path, `Ticket Window Setup ${version}.exe`);
        writeFileSync(file, data);
        store.keep(version, file);
      }
      // Left by a copy a power cut interrupted, or put there by hand: never taken for an installer.
      writeFileSync(join(dir.path, 'updates', 'installers', '1.3.0.exe.tmp'), 'half');
      writeFileSync(join(dir.path, 'updates', 'installers', 'notes.exe'), 'not a version');
      expect(store.kept().sort()).toEqual(['1.0.0', '1.1.0', '1.2.0']);
      expect(readFileSync(store.installerOf('1.1.0')).equals(bytes['1.1.0'])).toBe(true);

      store.prune(installersToKeep({ ...INITIAL_UPDATE_STATE, downloaded: '1.2.0' }, '1.1.0'));
      expect(store.kept().sort()).toEqual(['1.1.0', '1.2.0']);
      expect(() => store.installerOf('../1.0.0')).toThrow();
    } finally {
      downloads.remove();
    }
  });
});
