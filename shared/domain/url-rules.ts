/** The names of this machine. A URL on one of them never leaves the PC. */
const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** The URL `value` names, if it is one, with one of `protocols` (e.g. 'https:'). */
export function urlWithProtocol(value: string, protocols: readonly string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return protocols.includes(url.protocol) ? url : undefined;
}

/** Whether `value` is a URL on this machine with one of `protocols`. */
export function isLoopbackUrl(value: string, protocols: readonly string[]): boolean {
  const url = urlWithProtocol(value, protocols);
  return url !== undefined && LOOPBACK_HOSTS.includes(url.hostname);
}
