import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Where a sandbox short link points by default: the long share URL Douyin uses today. */
const DEFAULT_LONG_LINK_BASE = 'https://www.iesdouyin.com';

export interface ShortLinkServer {
  /** Plays v.douyin.com: http://127.0.0.1:PORT */
  url: string;
  /** Every path asked for, so tests can see what a client requested. */
  requests(): readonly string[];
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

/**
 * The short-link host of the sandbox. Like v.douyin.com it answers a coupon QR's link with a
 * redirect to a long share URL whose `object_id` is the prepare's encrypted_data (验券准备:
 * "对短链做 HTTP 请求。得到对应的长链接"). The redirect target is never meant to be fetched.
 */
export async function startShortLinkServer(options: {
  encryptedDataOf(slug: string): string | undefined;
  longLinkBase?: string;
}): Promise<ShortLinkServer> {
  const longLinkBase = (options.longLinkBase ?? DEFAULT_LONG_LINK_BASE).replace(/\/+$/, '');
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  let offline = false;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    paths.push(path);
    // The link's length is not fixed and it need not end in '/'.
    const slug = /^\/([A-Za-z0-9]+)\/?$/.exec(path)?.[1];
    const data = req.method === 'GET' && slug ? options.encryptedDataOf(slug) : undefined;
    if (data === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    const objectId = encodeURIComponent(data);
    const location =
      `${longLinkBase}/share/commerce/coupon/${objectId}/?schema_type=13&object_id=${objectId}` +
      '&utm_campaign=client_scan_share&app=aweme&utm_medium=ios&tt_from=scan_share&iid=&utm_source=scan_share';
    res.writeHead(302, { location, 'content-type': 'text/html' });
    res.end(`<a href="${location}">Found</a>`);
  });
  server.on('connection', (socket) => {
    if (offline) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => paths,
    setOffline: (on) => {
      offline = on;
      if (on) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
