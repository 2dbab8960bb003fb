import { createCoreWithParts, type CoreWithParts } from '../../../electron/core/app';
import { dispatch } from '../../../electron/core/dispatch';
import { plainCodec } from '../../../electron/core/secrets/store';
import { connectPlatform } from '../../../electron/platform/connect';
import { tempDir } from '../../support/temp';

/** A real core on a real SQLite file in its own folder, with a clock the test moves. */
export function operatorHarness() {
  const state = { dir: tempDir(), core: undefined as CoreWithParts | undefined, clock: Date.now() };
  const call = async (channel: string, input: unknown) => dispatch(state.core!.routes, channel, input);
  const value = async <T = unknown>(channel: string, input: unknown): Promise<T> => {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  return {
    state,
    call,
    value,
    async start(): Promise<CoreWithParts> {
      state.core = await createCoreWithParts({
        connectPlatform,
        dataDir: state.dir.path,
        env: {},
        secretCodec: plainCodec,
        now: () => state.clock,
      });
      return state.core;
    },
    async stop(): Promise<void> {
      await state.core?.close();
      state.core = undefined;
    },
    async remove(): Promise<void> {
      await this.stop();
      state.dir.remove();
    },
    /** First run: the first supervisor (工号 0001) and their session token. */
    async firstSupervisor(pin = '246810'): Promise<string> {
      return (await value<{ token: string }>('supervisor.pin.set', { pin })).token;
    },
  };
}
