import { maskIdNumber } from '../../../shared/scan/idNumber';

/**
 * What must never reach a log file, whatever a caller passes in: Douyin tokens (`clt.…`, `act.…`),
 * anything written as a secret-like key with its value (client_secret, access-token, password,
 * the web transport's session cookie and `?secret=`, supervisor session tokens, `Bearer …`), and
 * full resident ID numbers, which keep only the mask the app shows elsewhere.
 */
const DOUYIN_TOKEN = /\b(clt|act)\.[\w.-]+/g;
const SECRET_VALUE =
  /(\b[\w-]*(?:secret|token|password|passwd|session|cookie|authorization)[\w-]*|\bpin)(["']?\s*[:=]\s*)(?:"[^"]*"|'[^']*'|(?:Bearer\s+)?[^\s"'&;,)\]}]+)/gi;
const BEARER = /\bBearer\s+[^\s"',;]+/gi;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

export function redact(text: string): string {
  return text
    .replace(SECRET_VALUE, '$1$2[redacted]')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(DOUYIN_TOKEN, '$1.[redacted]')
    .replace(ID_NUMBER, (id) => maskIdNumber(id));
}
