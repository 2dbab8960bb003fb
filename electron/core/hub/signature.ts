import { createHash, createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalRequest } from '../../../shared/hub/protocol';

/** Signing of hub requests, shared by the window (signs) and the hub (checks). */

function sha256Hex(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** A window secret as a key object, made once per window: HMAC then skips decoding and importing it per request. */
export const signingKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'base64url'));

export function signRequest(
  secret: string | KeyObject,
  parts: { method: string; path: string; body: string | Buffer; timestamp: string; nonce: string },
): string {
  const text = canonicalRequest({ ...parts, bodySha256Hex: sha256Hex(parts.body) });
  return createHmac('sha256', typeof secret === 'string' ? signingKey(secret) : secret)
    .update(text)
    .digest('base64url');
}

/** Constant-time comparison: a timing difference must not leak how much of a signature matched. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
