import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { syncFolder, writeFileDurably } from '../core/durable-fs';
import { appVersionSchema } from '../../shared/updates/version';
import { updateReportSchema } from '../../shared/updates/rollout';
import { INITIAL_UPDATE_STATE, type UpdateState } from './update-policy';

const UpdateStateFile = z.object({
  lastCheckAt: z.number().int().nullable(),
  downloaded: appVersionSchema.nullable(),
  trial: z.object({ version: appVersionSchema, from: appVersionSchema, starts: z.number().int().nonnegative() }).nullable(),
  failed: z.array(appVersionSchema),
  unreported: z.array(updateReportSchema),
}) satisfies z.ZodType<UpdateState>;

const INSTALLER = /^(.+)\.exe$/;

/**
 * Main's update state and the installers it keeps, in `<data folder>/updates/`: plain files, so
 * they are there before the core starts (a start that fails is counted before anything else) and
 * need no Electron. The state is replaced whole and durably before main acts on it. Installers
 * are kept by version (`<version>.exe`) because electron-updater's own cache holds only the last
 * download and is emptied for the next one, while a rollback needs the one before.
 */
export class UpdateStore {
  private readonly file: string;
  private readonly installers: string;

  constructor(
    dataDir: string,
    private readonly onUnreadable: (error: unknown) => void,
  ) {
    const dir = join(dataDir, 'updates');
    this.file = join(dir, 'state.json');
    this.installers = join(dir, 'installers');
  }

  /** A missing file is a window never updated; an unreadable one starts over (and is said). */
  read(): UpdateState {
    if (!existsSync(this.file)) return INITIAL_UPDATE_STATE;
    try {
      return UpdateStateFile.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      this.onUnreadable(error);
      return INITIAL_UPDATE_STATE;
    }
  }

  write(state: UpdateState): UpdateState {
    mkdirSync(this.installers, { recursive: true });
    writeFileDurably(this.file, Buffer.from(JSON.stringify(UpdateStateFile.parse(state))), 0o644);
    return state;
  }

  /** Versions whose installer is kept here. */
  kept(): string[] {
    if (!existsSync(this.installers)) return [];
    return readdirSync(this.installers)
      .map((name) => INSTALLER.exec(name)?.[1])
      .filter((version): version is string => version !== undefined && appVersionSchema.safeParse(version).success);
  }

  installerOf(version: string): string {
    return join(this.installers, `${appVersionSchema.parse(version)}.exe`);
  }

  /** Copies a downloaded installer in, whole or not at all (electron-updater checked its sha512). */
  keep(version: string, downloadedFile: string): void {
    const target = this.installerOf(version);
    const tmp = `${target}.tmp`;
    mkdirSync(this.installers, { recursive: true });
    copyFileSync(downloadedFile, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    syncFolder(this.installers);
  }

  /** Removes one kept installer (one that may not run). */
  forget(version: string): void {
    rmSync(this.installerOf(version), { force: true });
  }

  /** Removes every kept installer but those of `versions` (see `installersToKeep`). */
  prune(versions: readonly string[]): void {
    for (const version of this.kept()) {
      if (!versions.includes(version)) this.forget(version);
    }
  }
}
