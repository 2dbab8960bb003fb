import { compareVersions } from '../../shared/updates/version';
import type { UpdateReport } from '../../shared/updates/rollout';

/**
 * When a window checks, downloads, installs and rolls back an update: pure decisions over a small
 * state main keeps in its data folder (written before it acts), so they are tested without
 * Electron and survive a crash between any two steps. electron-updater only carries them out.
 */
export interface UpdateState {
  lastCheckAt: number | null;
  /** An installer downloaded in the background, waiting for a moment with nobody at the window. */
  downloaded: string | null;
  /** The version installed last and not yet seen ready, with the starts it has had. */
  trial: { version: string; from: string; starts: number } | null;
  /** Versions this window went back from: never downloaded again. */
  failed: string[];
  /** Reports the hub has not had yet (it was away). */
  unreported: UpdateReport[];
}

export const INITIAL_UPDATE_STATE: UpdateState = { lastCheckAt: null, downloaded: null, trial: null, failed: [], unreported: [] };

export const UPDATE_POLICY = {
  /** Kiosk PCs run for weeks: a check every few hours finds a release the same day. */
  checkEveryMs: 3 * 60 * 60_000,
  /** Starts a new version may take to reach "ready" before the window goes back. */
  maxStartsBeforeReady: 3,
};

export function shouldCheck(state: UpdateState, now: number, paired: boolean): boolean {
  if (!paired) return false;
  return state.lastCheckAt === null || now - state.lastCheckAt >= UPDATE_POLICY.checkEveryMs || now < state.lastCheckAt;
}

/** Download only a version newer than the running one that the hub offers this window's group. */
export function shouldDownload(state: UpdateState, running: string, offered: string | null): boolean {
  if (offered === null || compareVersions(offered, running) <= 0) return false;
  return !state.failed.includes(offered) && state.downloaded !== offered;
}

export interface WindowReadiness {
  /** A shift is open: someone is working at the window. */
  shiftOpen: boolean;
  /** Verifies and history not yet sent: the installer must not stand between them and the hub. */
  unsynced: number;
}

export type InstallDecision =
  | { install: true; version: string; state: UpdateState }
  | { install: false; why: 'nothing_downloaded' | 'not_newer' | 'failed_before' | 'shift_open' | 'unsynced' };

/**
 * Asked only at start-up and after a sign-out (the edge has no other moment), and even then never
 * while a shift is open (one left open by a crash included) or with unsynced items. The state to
 * write before quitting to install starts the version's trial.
 */
export function installDecision(state: UpdateState, running: string, readiness: WindowReadiness): InstallDecision {
  const version = state.downloaded;
  if (version === null) return { install: false, why: 'nothing_downloaded' };
  if (compareVersions(version, running) <= 0) return { install: false, why: 'not_newer' };
  if (state.failed.includes(version)) return { install: false, why: 'failed_before' };
  if (readiness.shiftOpen) return { install: false, why: 'shift_open' };
  if (readiness.unsynced > 0) return { install: false, why: 'unsynced' };
  return { install: true, version, state: { ...state, downloaded: null, trial: { version, from: running, starts: 0 } } };
}

export type StartAction = { kind: 'run' } | { kind: 'roll_back'; to: string };

/**
 * Written first at every start. A version on trial counts its starts; past the limit without
 * reaching ready, the window goes back to the version it came from and remembers why.
 */
export function onStart(state: UpdateState, running: string): { state: UpdateState; action: StartAction } {
  const trial = state.trial;
  if (!trial) return { state, action: { kind: 'run' } };
  if (trial.version !== running) {
    // The install did not happen, or the rollback did: the trial is over either way.
    return { state: { ...state, trial: null }, action: { kind: 'run' } };
  }
  const starts = trial.starts + 1;
  if (starts <= UPDATE_POLICY.maxStartsBeforeReady)
    return { state: { ...state, trial: { ...trial, starts } }, action: { kind: 'run' } };
  const report: UpdateReport = {
    event: 'rolled_back',
    version: running,
    otherVersion: trial.from,
    detail: `not ready after ${UPDATE_POLICY.maxStartsBeforeReady} starts`,
  };
  return {
    state: {
      ...state,
      trial: null,
      downloaded: null,
      failed: [...new Set([...state.failed, running])],
      unreported: [...state.unreported, report],
    },
    action: { kind: 'roll_back', to: trial.from },
  };
}

/** The app reached ready (core up, screen loaded): a version on trial is kept. */
export function onReady(state: UpdateState, running: string): UpdateState {
  const trial = state.trial;
  if (!trial || trial.version !== running) return state;
  const report: UpdateReport = { event: 'installed', version: running, otherVersion: trial.from };
  return { ...state, trial: null, unreported: [...state.unreported, report] };
}
