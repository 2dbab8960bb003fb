import { startSandbox, SANDBOX_CLIENT_KEY, SANDBOX_CLIENT_SECRET, seedDemoOrders, type Sandbox, type SandboxOrder } from '../sandbox';
import {
  createClientCredentialsTokenSource,
  createTokenServiceTokenSource,
  createTripVerifyClient,
  douyinConfigFromEnv,
  type TokenSource,
  type TripVerifyClient,
} from './douyin';
import type { SecretStore } from './secrets/store';
import type { Settings } from '../../shared/domain/settings';
import { businessDate } from '../../shared/time';

export interface Platform {
  mode: 'demo' | 'live';
  verifier: TripVerifyClient;
  /** The embedded sandbox in demo mode, so tests and demos can reach its controls. */
  sandbox?: Sandbox;
  demoOrders: SandboxOrder[];
  close(): Promise<void>;
}

/**
 * Connects to Douyin the way this install is configured: a provider token service (fleet-safe),
 * or this window's own client credentials, from the secret store or the environment. With none,
 * the app runs in demo mode against the embedded sandbox with a demo order book.
 */
export async function connectPlatform(secrets: SecretStore, settings: Settings, env: NodeJS.ProcessEnv): Promise<Platform> {
  const fromEnv = douyinConfigFromEnv(env);
  const baseUrl = settings.baseUrl ?? fromEnv.baseUrl;
  const tokenServiceUrl = secrets.get('tokenServiceUrl') ?? (fromEnv.token.kind === 'token_service' ? fromEnv.token.url : undefined);
  const clientKey = secrets.get('clientKey') ?? (fromEnv.token.kind === 'client_credentials' ? fromEnv.token.clientKey : undefined);
  const clientSecret = secrets.get('clientSecret') ?? (fromEnv.token.kind === 'client_credentials' ? fromEnv.token.clientSecret : undefined);

  let tokenSource: TokenSource | undefined;
  if (tokenServiceUrl) tokenSource = createTokenServiceTokenSource({ url: tokenServiceUrl });
  else if (clientKey && clientSecret) tokenSource = createClientCredentialsTokenSource({ baseUrl, clientKey, clientSecret });

  if (tokenSource) {
    const verifier = createTripVerifyClient({ baseUrl, tokenSource });
    return {
      mode: 'live',
      verifier,
      demoOrders: [],
      close: async () => {
        await verifier.close();
        tokenSource.close?.();
      },
    };
  }

  const demoOrders = seedDemoOrders(businessDate(Date.now()));
  const sandbox = await startSandbox({ orders: demoOrders });
  const demoTokens = createClientCredentialsTokenSource({
    baseUrl: sandbox.url,
    clientKey: SANDBOX_CLIENT_KEY,
    clientSecret: SANDBOX_CLIENT_SECRET,
  });
  const verifier = createTripVerifyClient({ baseUrl: sandbox.url, tokenSource: demoTokens });
  return {
    mode: 'demo',
    verifier,
    sandbox,
    demoOrders,
    close: async () => {
      await verifier.close();
      demoTokens.close?.();
      await sandbox.close();
    },
  };
}
