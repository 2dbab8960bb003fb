import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClientCredentialsTokenSource, createTripVerifyClient, type TripVerifyClient } from '../../../electron/core/douyin';
import {
  createManualClock,
  SANDBOX_CLIENT_KEY,
  SANDBOX_CLIENT_SECRET,
  startSandbox,
  type ManualClock,
  type Sandbox,
  type SandboxOptions,
} from '../../../electron/sandbox';

/** 2026-11-28 10:00 in Asia/Shanghai: demo orders are for "today". */
const TEST_NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

export interface Rig {
  sandbox: Sandbox;
  clock: ManualClock;
  client: TripVerifyClient;
  close(): Promise<void>;
}

/** A sandbox on a manual clock and a client_token source for it: what every client rig starts from. */
export async function startTokenedSandbox(sandboxOptions: SandboxOptions = {}) {
  const clock = createManualClock(TEST_NOW);
  const sandbox = await startSandbox({ now: clock.now, ...sandboxOptions });
  const tokenSource = createClientCredentialsTokenSource({
    baseUrl: sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: SANDBOX_CLIENT_SECRET,
    minFetchIntervalMs: 0,
  });
  const close = async () => {
    tokenSource.close?.();
    await sandbox.close();
  };
  return { clock, sandbox, tokenSource, close };
}

/** A sandbox on a manual clock plus a trip verify client wired to it through a client_token source. */
export async function startRig(options: { timeoutMs?: number; sandbox?: SandboxOptions } = {}): Promise<Rig> {
  const { clock, sandbox, tokenSource, close } = await startTokenedSandbox(options.sandbox);
  const client = createTripVerifyClient({ baseUrl: sandbox.url, tokenSource, timeoutMs: options.timeoutMs ?? 2_000 });
  return {
    sandbox,
    clock,
    client,
    close: async () => {
      await client.close();
      await close();
    },
  };
}

export interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP server that records requests and answers with `respond`. */
export async function startStub(respond: (req: Captured, res: ServerResponse) => void) {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(captured);
      respond(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A token source that never calls anything: for stub servers that ignore the token. */
export const fixedToken = (token = 'clt.fixed') => ({ get: async () => token, invalidate: () => undefined });
