import { describe, expect, it, vi } from 'vitest';
import { plainCodec } from '../../../electron/core/secrets/store';
import { startCoreProcess, type CoreChild } from '../../../electron/main/core-process';

vi.mock('electron', () => ({}));

/** A stand-in for the core's process: main's side sees only the CoreChild interface. */
function fakeChild() {
  const sent: any[] = [];
  let onMessage: (message: unknown) => void = () => undefined;
  let onExit: (code: number | null) => void = () => undefined;
  const child: CoreChild = {
    send: (message) => void sent.push(message),
    onMessage: (listener) => (onMessage = listener),
    onExit: (listener) => (onExit = listener),
    kill: vi.fn(() => onExit(null)),
  };
  return { child, sent, say: (message: unknown) => onMessage(message), exit: (code: number | null) => onExit(code) };
}

function started(overrides: Partial<Parameters<typeof startCoreProcess>[0]> = {}) {
  const fake = fakeChild();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const core = startCoreProcess({
    spawn: () => fake.child,
    codec: plainCodec,
    desktop: async () => true,
    log,
    onEvent: vi.fn(),
    onSettings: vi.fn(),
    onState: vi.fn(),
    ...overrides,
  });
  fake.say({ type: 'ready', settings: { kiosk: false, autoStart: false } });
  return { core, fake, log };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("main's side of the core's process", () => {
  it('relays a call and answers with the Result the core sent for that id', async () => {
    const { core, fake } = started();
    const answer = core.call('app.status', {});
    expect(fake.sent).toEqual([{ type: 'call', id: 0, channel: 'app.status', input: {} }]);
    fake.say({ type: 'result', id: 0, result: { ok: true, value: { mode: 'demo' } } });
    await expect(answer).resolves.toEqual({ ok: true, value: { mode: 'demo' } });
  });

  it('asks the core for the updater in the same id space as calls, and answers recovering while the core is away', async () => {
    const { core, fake } = started();
    const call = core.call('app.status', {});
    const facts = core.update({ op: 'facts' });
    expect(fake.sent).toEqual([
      { type: 'call', id: 0, channel: 'app.status', input: {} },
      { type: 'update', id: 1, request: { op: 'facts' } },
    ]);
    const value = { feed: null, shiftOpen: false, unsynced: 2 };
    fake.say({ type: 'result', id: 1, result: { ok: true, value } });
    await expect(facts).resolves.toEqual({ ok: true, value });
    fake.exit(1);
    await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'recovering' } });
    await expect(core.update({ op: 'facts' })).resolves.toMatchObject({ ok: false, error: { code: 'recovering' } });
  });

  it('refuses a malformed message from the core and logs it', async () => {
    const { fake, log } = started();
    fake.say({ type: 'event', event: 'no.such.event', payload: {} });
    fake.say({ type: 'result', id: -1, result: 'yes' });
    expect(log.warn).toHaveBeenCalledTimes(2);
  });

  it("seals and unseals for the core with main's codec, as base64", async () => {
    const { fake } = started();
    fake.say({ type: 'codec', id: 4, request: { op: 'encrypt', data: 'secret' } });
    fake.say({ type: 'codec', id: 5, request: { op: 'decrypt', data: Buffer.from('back').toString('base64') } });
    await tick();
    expect(fake.sent).toEqual([
      { type: 'answer', id: 4, value: Buffer.from('secret').toString('base64') },
      { type: 'answer', id: 5, value: 'back' },
    ]);
  });

  it('passes a failed OS action back to the core as an error, so it is not audited as done', async () => {
    const { fake } = started({ desktop: () => Promise.reject(new Error('disk full')) });
    fake.say({ type: 'desktop', id: 7, request: { action: 'savePdf', path: '/data/reports/r.pdf' } });
    await tick();
    expect(fake.sent).toEqual([{ type: 'answer', id: 7, error: 'disk full' }]);
  });

  it('answers a call in flight when the core dies with recovering, not never', async () => {
    const { core, fake } = started();
    const answer = core.call('scan.submit', { raw: 'x', source: 'scanner' });
    fake.exit(9);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'recovering' } });
  });

  it('stops a core that does not close in time', async () => {
    vi.useFakeTimers();
    try {
      const { core, fake, log } = started({ closeTimeoutMs: 5000 });
      const closing = core.close();
      expect(fake.sent).toContainEqual({ type: 'close' });
      await vi.advanceTimersByTimeAsync(5000);
      await closing;
      expect(fake.child.kill).toHaveBeenCalled();
      expect(log.error).toHaveBeenCalledWith(expect.stringContaining('did not close in time'));
    } finally {
      vi.useRealTimers();
    }
  });
});
