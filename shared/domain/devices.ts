import { z } from 'zod';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * A vendor's local reader service runs on this PC. Only loopback is accepted: an ID number read
 * from a service elsewhere would cross a network in clear, and a remote host could feed the
 * window any number it likes.
 */
export function isLoopbackServiceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return ['http:', 'ws:'].includes(url.protocol) && LOOPBACK_HOSTS.includes(url.hostname);
}

/** A dotted path into the service's JSON answer, e.g. "data.IDNumber" or "Certificate.IDNum". */
export const JsonFieldPath = z
  .string()
  .trim()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\.\d+)*$/, 'field_path');

export const LocalServiceConfig = z.object({
  /** http://127.0.0.1:port/path is polled; ws://127.0.0.1:port/path pushes answers. */
  url: z.string().trim().refine(isLoopbackServiceUrl, 'loopback_required'),
  idField: JsonFieldPath,
  pollIntervalMs: z.number().int().min(100).max(5000).default(300),
});
export type LocalServiceConfig = z.infer<typeof LocalServiceConfig>;
