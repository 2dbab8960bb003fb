import { Agent, request } from 'undici';
import { z } from 'zod';
import {
  claimAnswerSchema,
  HUB_HEADERS,
  hubErrorSchema,
  hubTokenAnswerSchema,
  pairAnswerSchema,
  pairRequestSchema,
  historyPushAnswerSchema,
  releaseAnswerSchema,
  holderAnswerSchema,
  type HolderAnswer,
  voucherChangeSchema,
  voucherPageSchema,
  VOUCHER_PAGE_MAX_ROWS,
  type VoucherChange,
  type ClaimAnswer,
  type ClaimRequest,
  type HistoryPushRequest,
  type HubError,
  type PairAnswer,
} from '../../../shared/hub/protocol';
import { createCachingTokenSource, TokenSourceError, type TokenCacheOptions, type TokenSource } from '../douyin/token-source';
import type { SecretStore } from '../secrets/store';
import { openText } from '../secrets/aes-gcm';
import { updateReportSchema, type UpdateReport } from '../../../shared/updates/rollout';
import { newNonce, signingKey, signRequest } from './signature';
import { mintUpdateToken } from './update-token';
import { windowVoucherKey } from './voucher-seal';

/** The hub could not be reached or answered garbage: the window goes on alone. */
export class HubUnreachable extends Error {
  override readonly name = 'HubUnreachable';
}

/** The hub answered and refused, with words for the staff. */
export class HubRefused extends Error {
  override readonly name = 'HubRefused';
  constructor(
    readonly status: number,
    readonly answer: HubError,
  ) {
    super(`${answer.error}: ${answer.message.en}`);
  }
}

export interface HubCredential {
  url: string;
  windowId: string;
  secret: string;
}

interface CallOptions {
  timeoutMs?: number;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** Claims sit on the scan path: past this the window admits on its own rules and claims later. */
const DEFAULT_CLAIM_BUDGET_MS = 300;

async function call<S extends z.ZodType>(
  agent: Agent,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  schema: S,
  timeoutMs: number,
): Promise<z.infer<S>> {
  let status: number;
  let text: string;
  try {
    const answer = await request(url, { dispatcher: agent, ...init, signal: AbortSignal.timeout(timeoutMs) });
    status = answer.statusCode;
    text = await answer.body.text();
  } catch (cause) {
    throw new HubUnreachable(`hub unreachable: ${String(cause)}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new HubUnreachable(`hub answered HTTP ${status} non-JSON`, { cause });
  }
  if (status >= 400) {
    const refusal = hubErrorSchema.safeParse(json);
    if (refusal.success) throw new HubRefused(status, refusal.data);
    throw new HubUnreachable(`hub answered HTTP ${status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new HubUnreachable(`unexpected hub answer: ${parsed.error.message}`);
  return parsed.data;
}

const trimUrl = (url: string) => url.replace(/\/+$/, '');

/** Pairs with the one-time code from the hub's admin page; the code is the only proof. */
export async function pairWithHub(
  hubUrl: string,
  input: { code: string; name: string; version?: string },
  options: CallOptions = {},
): Promise<PairAnswer> {
  const body = pairRequestSchema.parse(input);
  const agent = new Agent();
  try {
    return await call(
      agent,
      `${trimUrl(hubUrl)}/api/pair`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      pairAnswerSchema,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  } finally {
    await agent.close();
  }
}

/** Pairs and seals the credential in one write, so URL, id and secret never part. */
export async function pairAndStore(store: SecretStore, hubUrl: string, input: { code: string; name: string; version?: string }) {
  const paired = await pairWithHub(hubUrl, input);
  store.setAll({ hubUrl: trimUrl(hubUrl), hubWindowId: paired.windowId, hubSecret: paired.secret });
  return paired.windowId;
}

/** Unpairing: the credential goes in one write, so no half of it is left behind. */
export function forgetHubCredential(store: SecretStore): void {
  store.setAll({ hubUrl: undefined, hubWindowId: undefined, hubSecret: undefined });
}

export function storedHubCredential(store: SecretStore): HubCredential | undefined {
  const url = store.get('hubUrl');
  const windowId = store.get('hubWindowId');
  const secret = store.get('hubSecret');
  return url && windowId && secret ? { url, windowId, secret } : undefined;
}

export interface HubClient {
  token(): Promise<{ access_token: string; expires_at: number }>;
  /** Within the claim budget (or `timeoutMs`, for a claim made later), or HubUnreachable. */
  claim(claim: ClaimRequest, timeoutMs?: number): Promise<ClaimAnswer>;
  release(claim: ClaimRequest): Promise<boolean>;
  /** Who holds a ticket, within the claim budget: it is on the scan path too. */
  holder(key: string): Promise<HolderAnswer>;
  /** A batch of this window's history outbox; answers the hub's cursor for this window. */
  pushHistory(push: HistoryPushRequest): Promise<{ lastSeq: number; applied: number }>;
  /** A page of the site's voucher changes after `after`, opened and validated. */
  voucherChanges(after: number, limit?: number): Promise<{ cursor: number; more: boolean; changes: VoucherChange[] }>;
  /** Tells the hub an update was installed or rolled back. */
  reportUpdate(report: UpdateReport): Promise<void>;
  /** A bearer token for the hub's update feed (electron-updater), valid until `expiresAtMs`. */
  updateToken(expiresAtMs: number): string;
  close(): Promise<void>;
}

/** A paired window's signed calls to its hub. */
export function createHubClient(credential: HubCredential, options: CallOptions & { claimBudgetMs?: number } = {}): HubClient {
  // The hub keeps an idle connection 65 s: a claim rarely pays for a new connection (or TLS).
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const now = options.now ?? Date.now;
  const base = trimUrl(credential.url);
  const key = signingKey(credential.secret);

  function signed<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, payload?: unknown, timeoutMs?: number) {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const timestamp = String(now());
    const nonce = newNonce();
    const headers: Record<string, string> = {
      [HUB_HEADERS.window]: credential.windowId,
      [HUB_HEADERS.timestamp]: timestamp,
      [HUB_HEADERS.nonce]: nonce,
      [HUB_HEADERS.signature]: signRequest(key, { method, path, body, timestamp, nonce }),
    };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return call(
      agent,
      `${base}${path}`,
      { method, headers, ...(payload === undefined ? {} : { body }) },
      schema,
      timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  }

  return {
    token: () => signed('GET', '/api/token', hubTokenAnswerSchema),
    claim: (claim, timeoutMs) =>
      signed('POST', '/api/claims', claimAnswerSchema, claim, timeoutMs ?? options.claimBudgetMs ?? DEFAULT_CLAIM_BUDGET_MS),
    release: async (claim) => (await signed('POST', '/api/claims/release', releaseAnswerSchema, claim)).released,
    holder: (key) =>
      signed('POST', '/api/claims/holder', holderAnswerSchema, { key }, options.claimBudgetMs ?? DEFAULT_CLAIM_BUDGET_MS),
    pushHistory: (push) => signed('POST', '/api/history', historyPushAnswerSchema, push),
    voucherChanges: async (after, limit = VOUCHER_PAGE_MAX_ROWS) => {
      const page = await signed(
        'GET',
        `/api/vouchers/changes?after=${after}&limit=${limit}`,
        voucherPageSchema,
        undefined,
        30_000,
      );
      let changes: unknown;
      try {
        changes = JSON.parse(openText(windowVoucherKey(credential.secret), page.sealed));
      } catch (cause) {
        throw new HubUnreachable('voucher page does not open with this window’s key', { cause });
      }
      const parsed = z.array(voucherChangeSchema).max(VOUCHER_PAGE_MAX_ROWS).safeParse(changes);
      if (!parsed.success || parsed.data.length !== page.count)
        throw new HubUnreachable(`unexpected voucher page: ${parsed.error?.message ?? 'count differs'}`);
      return { cursor: page.cursor, more: page.more, changes: parsed.data };
    },
    reportUpdate: async (report) => {
      await signed('POST', '/api/updates/report', z.object({ recorded: z.literal(true) }), updateReportSchema.parse(report));
    },
    updateToken: (expiresAtMs) => mintUpdateToken(credential, expiresAtMs),
    close: () => agent.close(),
  };
}

/** The site's one client_token, through the same caching every token source has. */
export function createHubTokenSource(client: HubClient, options: TokenCacheOptions = {}): TokenSource {
  return createCachingTokenSource(
    async () => {
      try {
        const answer = await client.token();
        return { token: answer.access_token, expiresAtMs: answer.expires_at * 1000 };
      } catch (cause) {
        if (cause instanceof HubRefused)
          throw new TokenSourceError('rejected', cause.message, { httpStatus: cause.status, cause });
        throw new TokenSourceError('transport', String(cause), { cause });
      }
    },
    { ...options, close: () => void client.close() },
  );
}

const claimBudgetSchema = z.coerce.number().int().min(50).max(10_000).optional();

/**
 * The paired hub's client, or undefined when this window has no hub. TICKET_WINDOW_HUB_CLAIM_BUDGET_MS
 * changes the claim budget (a slow site network; tests that prove who wins rather than how fast).
 */
export function hubClientFromSecrets(store: SecretStore, env: NodeJS.ProcessEnv): HubClient | undefined {
  const credential = storedHubCredential(store);
  if (!credential) return undefined;
  const budget = claimBudgetSchema.safeParse(env.TICKET_WINDOW_HUB_CLAIM_BUDGET_MS || undefined);
  if (!budget.success) throw new Error(`TICKET_WINDOW_HUB_CLAIM_BUDGET_MS: ${budget.error.issues[0]?.message ?? 'invalid'}`);
  return createHubClient(credential, budget.data === undefined ? {} : { claimBudgetMs: budget.data });
}
