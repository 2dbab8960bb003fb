import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { AppError, Result } from '../../../shared/ipc/result';
import { useT } from '../../i18n/useT';
import { errorKey } from '../../shared/errors';

/** A device setting as last read, in the shape useSupervisorData hands it over. */
interface Stored<S> {
  data: S;
  error: AppError | null;
  setError(error: AppError | null): void;
  reload(): Promise<void>;
}

/**
 * A device panel's form: an edited copy of the stored setting (replaced whenever it is read
 * again), its save, and the lines that say how the panel's last action went (`done` gives them
 * to the panel's own actions). Where `schema` is given, what it refuses is not sent and the note
 * asks to check each field. A save that went through reads the setting again.
 */
export function useDeviceSetting<S>(
  stored: Stored<S>,
  send: (setting: NonNullable<S>) => Promise<Result<unknown>>,
  schema?: z.ZodType<NonNullable<S>>,
) {
  const t = useT();
  const [form, setForm] = useState(stored.data);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => setForm(stored.data), [stored.data]);

  const done = (result: Result<unknown>, message: string) => {
    stored.setError(result.ok ? null : result.error);
    setNote(result.ok ? message : null);
  };

  /** Whether the setting was saved. */
  const save = async (setting: NonNullable<S>): Promise<boolean> => {
    const parsed = schema ? schema.safeParse(setting) : { success: true as const, data: setting };
    if (!parsed.success) {
      setNote(t('devices.invalid'));
      return false;
    }
    const result = await send(parsed.data);
    done(result, t('devices.saved'));
    if (result.ok) await stored.reload();
    return result.ok;
  };

  const outcome = (
    <>
      {note && <p role="status">{note}</p>}
      {stored.error && <p className="sup-error">{t(errorKey(stored.error))}</p>}
    </>
  );
  return { form, setForm, save, done, outcome };
}
