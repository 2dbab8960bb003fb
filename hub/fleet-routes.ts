import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { updateTokenValid, updateTokenWindow } from '../electron/core/hub/update-token';
import {
  releaseGroupsRequestSchema,
  updateChannelSchema,
  updateReportSchema,
  windowGroupRequestSchema,
} from '../shared/updates/rollout';
import type { Db } from './db';
import { HubRefusal, unauthorized } from './refusal';
import {
  addRelease,
  installerFor,
  latestFor,
  recordUpdateReport,
  setReleaseGroups,
  setWindowGroup,
  storeInstaller,
} from './releases';
import { loadVouchers, voucherChanges, type VoucherKeys } from './vouchers';
import type { AuthedWindow, WindowAuth } from './window-auth';

/** The part of a request the fleet's routes read (see server.ts). */
export interface FleetCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The request itself, for a body too big to hold (an installer). */
  stream: IncomingMessage;
}

export type FleetAnswer =
  | { status: number; json: unknown }
  | { status: number; text: string; contentType: string }
  | { status: number; stream: { size: number; body: AsyncIterable<Buffer> }; contentType: string };

export interface FleetContext {
  db: Db;
  auth: WindowAuth;
  voucherKeys: VoucherKeys;
  requireAdmin(call: FleetCall): void;
  signed(call: FleetCall): Promise<AuthedWindow>;
  parseJson<S extends z.ZodType>(schema: S, body: Buffer): z.infer<S>;
}

/** Bodies these routes may send, beyond the hub's usual 1 MiB. */
export function fleetBodyLimit(method: string, path: string): number | 'stream' | undefined {
  if (method === 'POST' && path === '/admin/api/vouchers') return 51 * 1024 * 1024;
  if (method === 'PUT' && INSTALLER_UPLOAD.test(path)) return 'stream';
  return undefined;
}

const RELEASE = /^\/admin\/api\/releases\/([a-z0-9_-]{1,32})\/([0-9A-Za-z.+-]{1,40})\/groups$/;
const INSTALLER_UPLOAD = /^\/admin\/api\/releases\/([a-z0-9_-]{1,32})\/([0-9A-Za-z.+-]{1,40})\/installer$/;
const WINDOW_GROUP = /^\/admin\/api\/windows\/([0-9a-f-]{36})\/group$/;
const FEED = /^\/updates\/([^/]+)\/([^/]+)$/;

/**
 * The feed electron-updater's generic provider reads, per window: its bearer token (minted from
 * its hub secret, see update-token.ts) names the window, and a revoked window gets 401 at once.
 */
async function updateWindow(context: FleetContext, call: FleetCall): Promise<string> {
  const token = call.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const windowId = updateTokenWindow(token);
  if (!windowId) throw unauthorized('unsigned', '缺少更新令牌', 'Update token missing');
  const window = await context.auth.window(windowId);
  if (!updateTokenValid(token, window.secret, Date.now()))
    throw unauthorized('bad_update_token', '更新令牌无效或已过期', 'Update token invalid or expired');
  const found = await context.db.query<{ revoked: boolean }>(
    'SELECT revoked_at IS NOT NULL AS revoked FROM windows WHERE id = $1',
    [windowId],
  );
  if (found.rows[0]?.revoked)
    throw unauthorized('revoked', '此窗口已被撤销，请重新配对', 'This window was revoked; pair it again');
  return windowId;
}

const channelOf = (raw: string) => {
  const channel = updateChannelSchema.safeParse(raw);
  if (!channel.success) throw new HubRefusal(400, 'bad_channel', '更新通道名称无效', 'Bad update channel name');
  return channel.data;
};

/** The hub's voucher and update routes; undefined: not one of them. */
export async function fleetRoute(context: FleetContext, call: FleetCall): Promise<FleetAnswer | undefined> {
  const { db } = context;
  const { method, path } = call;
  if (method === 'POST' && path === '/admin/api/vouchers') {
    context.requireAdmin(call);
    return { status: 200, json: await loadVouchers(db, context.voucherKeys, call.body.toString('utf8')) };
  }
  if (method === 'GET' && path === '/api/vouchers/changes') {
    const window = await context.signed(call);
    const after = Number(call.query.get('after') ?? '0');
    const limit = Number(call.query.get('limit') ?? '500');
    if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit))
      throw new HubRefusal(400, 'bad_request', 'after/limit 无效', 'Bad after/limit');
    const { secret } = await context.auth.window(window.id);
    return { status: 200, json: await voucherChanges(db, context.voucherKeys, { id: window.id, secret }, after, limit) };
  }

  if (method === 'POST' && path === '/admin/api/releases') {
    context.requireAdmin(call);
    const channel = channelOf(call.query.get('channel') ?? 'stable');
    return { status: 200, json: { channel, ...(await addRelease(db, channel, call.body.toString('utf8'))) } };
  }
  const upload = INSTALLER_UPLOAD.exec(path);
  if (method === 'PUT' && upload) {
    context.requireAdmin(call);
    return { status: 200, json: await storeInstaller(db, upload[1]!, upload[2]!, call.stream) };
  }
  const release = RELEASE.exec(path);
  if (method === 'POST' && release) {
    context.requireAdmin(call);
    const { groups } = context.parseJson(releaseGroupsRequestSchema, call.body);
    return { status: 200, json: { updated: await setReleaseGroups(db, release[1]!, release[2]!, groups) } };
  }
  const windowGroup = WINDOW_GROUP.exec(path);
  if (method === 'POST' && windowGroup) {
    context.requireAdmin(call);
    const { group } = context.parseJson(windowGroupRequestSchema, call.body);
    return { status: 200, json: { updated: await setWindowGroup(db, windowGroup[1]!, group) } };
  }
  if (method === 'POST' && path === '/api/updates/report') {
    const window = await context.signed(call);
    await recordUpdateReport(db, window.id, context.parseJson(updateReportSchema, call.body));
    return { status: 200, json: { recorded: true } };
  }
  const feed = FEED.exec(path);
  if (method === 'GET' && feed) {
    const windowId = await updateWindow(context, call);
    const channel = channelOf(feed[1]!);
    const file = decodeURIComponent(feed[2]!);
    if (file === 'latest.yml')
      return { status: 200, text: await latestFor(db, windowId, channel), contentType: 'text/yaml; charset=utf-8' };
    return { status: 200, stream: await installerFor(db, windowId, channel, file), contentType: 'application/octet-stream' };
  }
  return undefined;
}
