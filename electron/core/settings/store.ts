import { z } from 'zod';
import { Settings, settingKeys } from '../../../shared/domain/settings';
import type { Db } from '../db/connection';
import { loggerFor } from '../log';

const log = loggerFor('settings');

/**
 * Settings as rows of JSON, parsed again field by field on read: one bad row (hand edit, older
 * version) falls back to that field's default rather than taking the whole app down.
 */
export class SettingsStore {
  private cached: Settings | undefined;
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(private readonly db: Db) {}

  get(): Settings {
    this.cached ??= this.read();
    return this.cached;
  }

  /** Validates the whole result first; a bad value changes nothing and throws the zod error. */
  update(patch: Partial<Settings>): Settings {
    const next = Settings.parse({ ...this.get(), ...patch });
    const put = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const del = this.db.prepare('DELETE FROM settings WHERE key = ?');
    this.db.transaction(() => {
      for (const key of settingKeys) {
        const value = next[key];
        if (value === undefined) del.run(key);
        else put.run(key, JSON.stringify(value));
      }
    })();
    this.cached = next;
    for (const listener of this.listeners) listener(next);
    return next;
  }

  /** Parts of the running app that follow a setting (the rate limiter, the status line). */
  subscribe(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private read(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const raw: Record<string, unknown> = {};
    for (const { key, value } of rows) {
      if (!(settingKeys as string[]).includes(key)) continue;
      const field = Settings.shape[key as keyof Settings] as z.ZodType;
      const parsed = field.safeParse(safeJson(value));
      if (parsed.success) raw[key] = parsed.data;
      else log.warn(`ignoring invalid stored value for ${key}`);
    }
    return Settings.parse(raw);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
