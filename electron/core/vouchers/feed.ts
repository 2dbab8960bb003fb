import { request } from 'undici';
import { MAX_FILE_BYTES } from '../../../shared/vouchers/file';
import { RouteError } from '../../../shared/ipc/result';

/**
 * Pulls the provider's voucher file from its feed URL. Bounded in time and size so a wrong URL
 * (a web page, a video) cannot hang the window or fill its memory.
 */
export async function fetchVoucherFeed(url: string, timeoutMs = 30_000): Promise<string> {
  let response;
  try {
    response = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      maxRedirections: 0,
    } as Parameters<typeof request>[1]);
  } catch (error) {
    throw new RouteError('not_found', `voucher feed unreachable: ${(error as Error).message}`, 'error.feed_unreachable');
  }
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new RouteError('not_found', `voucher feed answered HTTP ${response.statusCode}`, 'error.feed_http_error');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) {
      response.body.destroy();
      throw new RouteError('bad_input', 'voucher feed is larger than the file limit', 'error.feed_too_large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
