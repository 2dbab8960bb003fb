import type { Settings } from '../../../shared/domain/settings';
import { douyinConfigFromEnv, type DouyinConfig, type DouyinTokenConfig } from '../douyin/config';
import { storedHubCredential } from '../hub/client';
import type { SecretStore } from './store';

/** Scheme, host and port: a secret entered for one may not go to another, not even another port. */
function originOf(url: string): string {
  return new URL(url).origin;
}

export interface ResolvedDouyin {
  config: DouyinConfig;
  /** A client key is set but no secret may go to the current base URL: settings asks for it. */
  secretNeeded: boolean;
}

/**
 * Which Douyin credentials may be used where. The client secret is posted to the base URL's
 * token endpoint, so whoever can change the base URL could otherwise collect it: a stored secret
 * carries the origin it was entered for, a secret from the environment belongs to the
 * environment's base URL, and neither is sent anywhere else.
 */
export class DouyinCredentials {
  private readonly fromEnv: DouyinConfig;

  constructor(
    private readonly secrets: SecretStore,
    env: NodeJS.ProcessEnv,
  ) {
    this.fromEnv = douyinConfigFromEnv(env);
  }

  baseUrl(settings: Settings): string {
    return settings.baseUrl ?? this.fromEnv.baseUrl;
  }

  /**
   * A secret stored by a version that did not record its origin has been going to the current
   * base URL all along: bind it there, so that from now on a change of host withholds it.
   */
  adoptUnboundSecret(settings: Settings): void {
    if (this.secrets.get('clientSecret') !== undefined && this.secrets.get('clientSecretOrigin') === undefined) {
      this.secrets.set('clientSecretOrigin', originOf(this.baseUrl(settings)));
    }
  }

  /** A secret the supervisor typed: bound to the base URL in force once this save applies. */
  storeSecret(value: string, settings: Settings): void {
    this.secrets.setAll({ clientSecret: value, clientSecretOrigin: value === '' ? undefined : originOf(this.baseUrl(settings)) });
  }

  /** The base URL moved to another origin: a stored secret bound elsewhere is dropped. Returns whether one was. */
  forgetSecretBoundElsewhere(settings: Settings): boolean {
    const origin = this.secrets.get('clientSecretOrigin');
    if (this.secrets.get('clientSecret') === undefined || origin === originOf(this.baseUrl(settings))) return false;
    this.secrets.setAll({ clientSecret: undefined, clientSecretOrigin: undefined });
    return true;
  }

  resolve(settings: Settings): ResolvedDouyin {
    const baseUrl = this.baseUrl(settings);
    const origin = originOf(baseUrl);
    const envToken = this.fromEnv.token;
    const poi = this.fromEnv.poiId ? { poiId: this.fromEnv.poiId } : {};
    // A paired hub wins: it holds the site's one token, which any other source would knock out.
    const hub = storedHubCredential(this.secrets);
    if (hub) return { config: { baseUrl, ...poi, token: { kind: 'site_hub', ...hub } }, secretNeeded: false };
    const tokenServiceUrl = this.secrets.get('tokenServiceUrl') ?? (envToken.kind === 'token_service' ? envToken.url : undefined);
    if (tokenServiceUrl)
      return { config: { baseUrl, ...poi, token: { kind: 'token_service', url: tokenServiceUrl } }, secretNeeded: false };

    const clientKey = this.secrets.get('clientKey') ?? (envToken.kind === 'client_credentials' ? envToken.clientKey : undefined);
    const stored = this.secrets.get('clientSecretOrigin') === origin ? this.secrets.get('clientSecret') : undefined;
    const fromEnv =
      envToken.kind === 'client_credentials' && originOf(this.fromEnv.baseUrl) === origin ? envToken.clientSecret : undefined;
    const clientSecret = stored ?? fromEnv;
    const token: DouyinTokenConfig =
      clientKey && clientSecret ? { kind: 'client_credentials', clientKey, clientSecret } : { kind: 'none' };
    return { config: { baseUrl, ...poi, token }, secretNeeded: clientKey !== undefined && clientSecret === undefined };
  }
}
