import { z } from 'zod';
import { contract, isChannel, type Channel, type Input, type Output } from '../../shared/ipc/contract';
import { fail, ok, RouteError, type Result } from '../../shared/ipc/result';
import { log } from './log';

export type Handlers = { [C in Channel]: (input: Input<C>) => Promise<Output<C>> | Output<C> };

/**
 * The handlers, and the two checks of who is calling: the supervisor session (it throws a
 * RouteError when the token is not the live session's or its holder is no longer an enabled
 * supervisor, and pushes the idle expiry back when it is), and the operator at work (it throws
 * while the screen is locked for a break, or when the window needs a sign-in and nobody has).
 */
export type Routes = Handlers & {
  readonly checkSupervisor: (session: string) => void;
  readonly checkOperator: () => void;
};

/**
 * The one way into the core from outside, for both transports: the channel must exist, the input
 * must pass its schema, the caller must be who the channel's `auth` asks for, and whatever goes
 * wrong comes back as a Result, never as a thrown error. A route is never called with input that
 * failed its schema, nor a supervisor route without the live session, nor an operator route
 * without someone at work: routes do not check it themselves, so none can forget.
 */
export async function dispatch(routes: Routes, channel: string, raw: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return fail('unknown_channel', `no such channel: ${channel.slice(0, 64)}`);
  const spec = contract[channel];
  const parsed = spec.input.safeParse(raw);
  if (!parsed.success) return fail('bad_input', z.prettifyError(parsed.error));
  try {
    if (spec.auth === 'supervisor') routes.checkSupervisor((parsed.data as { session: string }).session);
    if (spec.auth === 'operator') routes.checkOperator();
    const route = routes[channel] as (input: unknown) => Promise<unknown> | unknown;
    return ok(await route(parsed.data));
  } catch (error) {
    return errorResult(error);
  }
}

function errorResult(error: unknown): Result<never> {
  if (error instanceof RouteError) return fail(error.code, error.message, error.detail);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') return fail('storage_full', 'the disk is full; nothing new was saved');
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return fail('storage_failed', String(code));
  log.error('[core] route failed', error);
  return fail('internal', 'internal error');
}
