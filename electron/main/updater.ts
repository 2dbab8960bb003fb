import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { UpdateFacts, type UpdateRequest } from '../core/host/protocol';
import type { ModuleLogger } from '../core/log';
import type { Result } from '../../shared/ipc/result';
import {
  installDecision,
  installersToKeep,
  onReady,
  onStart,
  onStartFailed,
  reportsSent,
  shouldCheck,
  shouldDownload,
  UPDATE_POLICY,
  type StartAction,
  type UpdateState,
} from './update-policy';
import type { UpdateStore } from './update-store';

export interface UpdaterOptions {
  /** electron-updater's `autoUpdater` in the app (NsisUpdater on Windows). */
  updater: AppUpdater;
  store: UpdateStore;
  running: string;
  /** The core's answers to main's own `update` requests (core-process.ts). */
  ask: (request: UpdateRequest) => Promise<Result<unknown>>;
  log: ModuleLogger;
  /** Where electron-builder puts elevate.exe beside app.asar. */
  resourcesPath: string;
  /** Starts the installer on its own, to outlive the app (`launchDetached`). */
  launch: (command: string, args: string[]) => void;
  /** Quits the app: the core closes first (before-quit), then the installer replaces it. */
  quit: () => void;
  /**
   * Whether a kept installer may run: null when it may, else why not. The installers wait in the
   * data folder, which the kiosk account can write, and run elevated: each is checked again just
   * before it runs (`keptInstallerCheck`), not only when it was downloaded.
   */
  verifyInstaller: (file: string) => Promise<string | null>;
  /** Tests shorten the wait after a sign-out; the app keeps UPDATE_POLICY's. */
  afterSignOutMs?: number;
}

/** A process that outlives the app, as electron-updater starts an installer. */
export function launchDetached(log: ModuleLogger): UpdaterOptions['launch'] {
  return (command, args) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', (error) => log.error(`${command} could not be started: ${error.message}`));
    child.unref();
  };
}

/**
 * electron-updater's own check of what it downloads (NsisUpdater: the Authenticode signature
 * against app-update.yml's publisherName; no publisher configured, no check, as for its own
 * downloads), applied to a kept installer. `verifySignature` is not in its typings: the version is
 * pinned, and an updater without it refuses every installer rather than run one unchecked.
 */
export function keptInstallerCheck(updater: AppUpdater): UpdaterOptions['verifyInstaller'] {
  const nsis = updater as unknown as { verifySignature?: (file: string) => Promise<string | null> };
  const verify = nsis.verifySignature;
  if (typeof verify !== 'function') return () => Promise.resolve('this updater cannot check an installer');
  return (file) => verify.call(updater, file);
}

const FACTS_TIMEOUT_MS = 10_000;

/** What the caller does next: go on starting, or stop because an installer is taking over. */
export type Next = 'continue' | 'installing';

/**
 * electron-updater, carrying out update-policy.ts: it checks the paired hub's feed with the
 * window's feed token and downloads in the background. Installing is main's own: electron-updater
 * can only install a file it downloaded in the same run, and an install at start-up or a rollback
 * needs a file from an earlier one, so main runs the installer it kept as electron-updater would.
 */
export function createUpdater(options: UpdaterOptions) {
  const { updater: autoUpdater, store, running, log } = options;
  let state = store.read();
  const save = (next: UpdateState) => (state = store.write(next));
  let queue: Promise<unknown> = Promise.resolve();
  /** One step at a time: a check, a sign-out and the reports all read and write the one state. */
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const done = queue.then(work);
    queue = done.catch(() => undefined);
    return done;
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let signOutTimer: ReturnType<typeof setTimeout> | undefined;

  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  // The hub serves whole installers only (no blockmaps, no web installer).
  autoUpdater.disableDifferentialDownload = true;
  autoUpdater.disableWebInstaller = true;
  autoUpdater.logger = {
    info: (message?: unknown) => log.info(String(message)),
    warn: (message?: unknown) => log.warn(String(message)),
    error: (message?: unknown) => log.error(String(message)),
  };
  autoUpdater.on('error', (error) => log.warn(`electron-updater: ${error.message}`));

  /** Bounded: the window must open even if the core never answers (nothing is installed then). */
  async function facts(): Promise<UpdateFacts | undefined> {
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (deadline = setTimeout(() => resolve(undefined), FACTS_TIMEOUT_MS)));
    const answer = await Promise.race([options.ask({ op: 'facts' }), late]).finally(() => clearTimeout(deadline));
    if (!answer?.ok) return undefined;
    const parsed = UpdateFacts.safeParse(answer.value);
    return parsed.success ? parsed.data : undefined;
  }

  /** As NsisUpdater.doInstall: silent, as an update, the app started again after it. */
  async function runInstaller(version: string): Promise<Next> {
    const installer = store.installerOf(version);
    const untrusted = await options.verifyInstaller(installer);
    if (untrusted !== null) {
      log.error(`the kept installer of ${version} is not run, and removed: ${untrusted}`);
      store.forget(version);
      return 'continue';
    }
    const args = ['--updated', '/S', '--force-run'];
    // A per-machine install needs elevation, which elevate.exe asks Windows for (UAC).
    const elevate = join(options.resourcesPath, 'elevate.exe');
    const [command, argv] = existsSync(elevate) ? [elevate, [installer, ...args]] : [installer, args];
    log.info(`installing ${version} (${installer})`);
    options.launch(command, argv);
    options.quit();
    return 'installing';
  }

  async function carryOut(action: StartAction): Promise<Next> {
    if (action.kind === 'roll_back') {
      log.error(`${running} failed to start: going back to ${action.to}`);
      return runInstaller(action.to);
    }
    if (action.kind === 'cannot_roll_back')
      log.error(`${running} failed to start, and no installer of ${action.to} is kept here to go back to`);
    return 'continue';
  }

  /** Installs the waiting update if nobody is at the window and everything is sent. */
  async function installIfIdle(): Promise<Next> {
    const known = await facts();
    if (!known) return 'continue';
    const decision = installDecision(state, running, known);
    if (!decision.install) {
      if (state.downloaded) log.info(`update ${state.downloaded} waits: ${decision.why}`);
      return 'continue';
    }
    if (!store.kept().includes(decision.version)) {
      log.warn(`the installer of ${decision.version} is gone: it is downloaded again`);
      save({ ...state, downloaded: null });
      return 'continue';
    }
    save(decision.state);
    return runInstaller(decision.version);
  }

  async function checkAndDownload(): Promise<void> {
    const known = await facts();
    if (!known?.feed || !shouldCheck(state, Date.now(), true)) return;
    save({ ...state, lastCheckAt: Date.now() });
    autoUpdater.setFeedURL({ provider: 'generic', url: known.feed.url });
    autoUpdater.requestHeaders = { authorization: known.feed.authorization };
    const checked = await autoUpdater.checkForUpdates();
    const offered = checked?.updateInfo.version ?? null;
    if (offered === null || !shouldDownload(state, running, offered)) return;
    log.info(`downloading ${offered} in the background`);
    const [file] = await autoUpdater.downloadUpdate();
    if (!file) throw new Error(`electron-updater downloaded ${offered} but named no file`);
    store.keep(offered, file);
    save({ ...state, downloaded: offered });
    store.prune(installersToKeep(state, running));
  }

  async function sendReports(): Promise<void> {
    let sent = 0;
    for (const report of state.unreported) {
      if (!(await options.ask({ op: 'report', report })).ok) break;
      sent++;
    }
    if (sent > 0) save(reportsSent(state, sent));
  }

  const logged = (what: string) => (error: unknown) =>
    log.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);

  /** The updater never stands in the gate's way: a failure of its own is logged, and the app goes on. */
  async function guarded(what: string, work: () => Next | Promise<Next>): Promise<Next> {
    try {
      return await work();
    } catch (error) {
      logged(what)(error);
      return 'continue';
    }
  }

  return {
    /** First thing at every start, before the core: counts the start of a version on trial. */
    atLaunch: (): Promise<Next> =>
      guarded('update state at launch', () => {
        const started = onStart(state, running, store.kept());
        save(started.state);
        return carryOut(started.action);
      }),
    /** The core did not come up: a version on trial goes back at once. */
    coreFailed: (reason: string): Promise<Next> =>
      guarded('update state after a failed start', () => {
        const failed = onStartFailed(state, running, reason, store.kept());
        save(failed.state);
        return carryOut(failed.action);
      }),
    /** The core is up and no window is open yet: the start-up moment to install. */
    beforeWindow: (): Promise<Next> =>
      serially(installIfIdle).catch((error: unknown) => {
        logged('install at start-up')(error);
        return 'continue' as const;
      }),
    /** The screen loaded: a version on trial is kept; reports go out, checks begin. */
    ready(): void {
      void guarded('update state at ready', () => {
        save(onReady(state, running));
        store.prune(installersToKeep(state, running));
        return 'continue';
      });
      const round = () => {
        void serially(sendReports).catch(logged('update reports'));
        void serially(checkAndDownload).catch(logged('update check'));
      };
      round();
      timer = setInterval(round, UPDATE_POLICY.pollEveryMs);
    },
    /** After a sign-out, once the shift report had time to print, if the window is still idle. */
    signedOut(): void {
      clearTimeout(signOutTimer);
      signOutTimer = setTimeout(
        () => void serially(installIfIdle).catch(logged('install after sign-out')),
        options.afterSignOutMs ?? UPDATE_POLICY.afterSignOutMs,
      );
    },
    stop(): void {
      clearInterval(timer);
      clearTimeout(signOutTimer);
    },
  };
}
