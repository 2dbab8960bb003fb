import { describe, expect, it } from 'vitest';
import {
  INITIAL_UPDATE_STATE,
  installDecision,
  onReady,
  onStart,
  shouldCheck,
  shouldDownload,
  UPDATE_POLICY,
  type UpdateState,
} from '../../../electron/main/update-policy';
import { compareVersions } from '../../../shared/updates/version';

const state = (over: Partial<UpdateState> = {}): UpdateState => ({ ...INITIAL_UPDATE_STATE, ...over });
const HOUR = 60 * 60_000;

describe('update policy: when to check', () => {
  it.each([
    ['never checked, paired', state(), 1_000, true, true],
    ['not paired: no hub to ask', state(), 1_000, false, false],
    ['checked an hour ago', state({ lastCheckAt: 0 }), HOUR, true, false],
    ['checked long enough ago', state({ lastCheckAt: 0 }), UPDATE_POLICY.checkEveryMs, true, true],
    ['the clock went back', state({ lastCheckAt: 10 * HOUR }), HOUR, true, true],
  ])('%s', (_, s, now, paired, expected) => expect(shouldCheck(s, now, paired)).toBe(expected));
});

describe('update policy: when to download', () => {
  it.each([
    ['the hub offers nothing for this group', state(), '1.0.0', null, false],
    ['the offer is the running version', state(), '1.0.0', '1.0.0', false],
    ['the offer is older (a group still on the old release)', state(), '1.1.0', '1.0.0', false],
    ['a newer offer', state(), '1.0.0', '1.1.0', true],
    ['a newer offer already downloaded', state({ downloaded: '1.1.0' }), '1.0.0', '1.1.0', false],
    ['a newer offer this window rolled back from', state({ failed: ['1.1.0'] }), '1.0.0', '1.1.0', false],
    ['a pre-release is older than its release', state(), '1.1.0', '1.1.0-beta.2', false],
  ])('%s', (_, s, running, offered, expected) => expect(shouldDownload(s, running, offered)).toBe(expected));
});

describe('update policy: when to install', () => {
  const idle = { shiftOpen: false, unsynced: 0 };
  it.each([
    ['nothing downloaded', state(), idle, 'nothing_downloaded'],
    ['downloaded an older one', state({ downloaded: '0.9.0' }), idle, 'not_newer'],
    [
      'a shift is open (mid-shift, or left open by a crash)',
      state({ downloaded: '1.1.0' }),
      { ...idle, shiftOpen: true },
      'shift_open',
    ],
    ['verifies or history still to send', state({ downloaded: '1.1.0' }), { ...idle, unsynced: 3 }, 'unsynced'],
    ['a version that failed here before', state({ downloaded: '1.1.0', failed: ['1.1.0'] }), idle, 'failed_before'],
  ])('not when %s', (_, s, readiness, why) => expect(installDecision(s, '1.0.0', readiness)).toEqual({ install: false, why }));

  it('installs when nobody is at the window and everything is sent, and starts the trial', () => {
    const decision = installDecision(state({ downloaded: '1.1.0' }), '1.0.0', idle);
    expect(decision).toEqual({
      install: true,
      version: '1.1.0',
      state: state({ downloaded: null, trial: { version: '1.1.0', from: '1.0.0', starts: 0 } }),
    });
  });
});

describe('update policy: a failed start rolls back', () => {
  const installed = state({ trial: { version: '1.1.0', from: '1.0.0', starts: 0 } });

  it('keeps a new version that reaches ready, and reports it installed', () => {
    const started = onStart(installed, '1.1.0');
    expect(started.action).toEqual({ kind: 'run' });
    const ready = onReady(started.state, '1.1.0');
    expect(ready.trial).toBeNull();
    expect(ready.unreported).toEqual([{ event: 'installed', version: '1.1.0', otherVersion: '1.0.0' }]);
  });

  it(`goes back after ${UPDATE_POLICY.maxStartsBeforeReady} starts without ready, reports it, and never takes that version again`, () => {
    let s = installed;
    for (let i = 1; i <= UPDATE_POLICY.maxStartsBeforeReady; i++) {
      const started = onStart(s, '1.1.0');
      expect(started.action).toEqual({ kind: 'run' });
      s = started.state;
      expect(s.trial?.starts).toBe(i);
    }
    const last = onStart(s, '1.1.0');
    expect(last.action).toEqual({ kind: 'roll_back', to: '1.0.0' });
    expect(last.state.failed).toEqual(['1.1.0']);
    expect(last.state.trial).toBeNull();
    expect(last.state.unreported).toEqual([
      {
        event: 'rolled_back',
        version: '1.1.0',
        otherVersion: '1.0.0',
        detail: `not ready after ${UPDATE_POLICY.maxStartsBeforeReady} starts`,
      },
    ]);
    // Back on 1.0.0: it runs, and the hub's offer of 1.1.0 is not downloaded again.
    const back = onStart(last.state, '1.0.0');
    expect(back).toEqual({ state: { ...last.state, trial: null }, action: { kind: 'run' } });
    expect(shouldDownload(back.state, '1.0.0', '1.1.0')).toBe(false);
    expect(shouldDownload(back.state, '1.0.0', '1.1.1')).toBe(true);
  });

  it('ends the trial when the install never happened (still the old version)', () => {
    expect(onStart(installed, '1.0.0')).toEqual({ state: state(), action: { kind: 'run' } });
    expect(onReady(state(), '1.0.0')).toEqual(state());
  });
});

describe('versions', () => {
  it.each([
    ['1.0.0', '1.0.1', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0-beta.1', '2.0.0', -1],
    ['2.0.0-beta.2', '2.0.0-beta.10', -1],
    ['2.0.0-alpha', '2.0.0-alpha.1', -1],
    ['2.0.0-1', '2.0.0-alpha', -1],
    ['1.2.3+build.7', '1.2.3', 0],
  ])('%s vs %s', (a, b, expected) => expect(compareVersions(a, b)).toBe(expected));
});
