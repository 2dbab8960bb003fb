import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../electron/core/db/connection';
import { SettingsStore } from '../../../electron/core/settings/store';
import { tempDir } from '../../support/temp';

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir.path, 's.db'));
});
afterEach(() => {
  db.close();
  dir.remove();
});

describe('settings store', () => {
  it('starts from the defaults a new window needs', () => {
    const s = new SettingsStore(db).get();
    expect(s).toMatchObject({ language: 'zh-CN', offlineAdmits: true, duplicateWindowSeconds: 10, answerBudgetMs: 3000 });
  });

  it('persists a valid update and refuses an invalid one without changing anything', () => {
    const store = new SettingsStore(db);
    store.update({ windowName: '东门2号', poiId: '7000000000000000001' });
    expect(() => store.update({ answerBudgetMs: 5 })).toThrow();
    expect(() => store.update({ baseUrl: 'file:///etc/passwd' })).toThrow();
    const fresh = new SettingsStore(db).get();
    expect(fresh.windowName).toBe('东门2号');
    expect(fresh.answerBudgetMs).toBe(3000);
    expect(fresh.baseUrl).toBeUndefined();
  });

  it('falls back to the default for a stored value that no longer validates, keeping the others', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    db.prepare(
      `INSERT INTO settings (key, value) VALUES ('answerBudgetMs', '"soon"'), ('language', 'not json'), ('windowName', '"西门"')`,
    ).run();
    const s = new SettingsStore(db).get();
    expect(s.answerBudgetMs).toBe(3000);
    expect(s.language).toBe('zh-CN');
    expect(s.windowName).toBe('西门');
    warn.mockRestore();
  });
});
