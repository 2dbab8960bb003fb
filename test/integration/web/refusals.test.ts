import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Routes } from '../../../electron/core/dispatch';
import { EventHub } from '../../../electron/core/events';
import { sessionCookieName, startWebTransport, type WebTransport } from '../../../electron/web/server';
import { tempDir } from '../../support/temp';

const SECRET = 'refusals-secret-0123456789';
const events = new EventHub();
const status = vi.fn(() => ({ hello: 'core' }));
let dir: ReturnType<typeof tempDir>;
let open: WebTransport[] = [];

async function start(secret = SECRET): Promise<WebTransport> {
  const routes = { 'app.status': status } as unknown as Routes;
  const web = await startWebTransport({ routes, events, staticDir: dir.path, port: 0, secret });
  open.push(web);
  return web;
}
const cookieFor = (web: WebTransport, secret = SECRET) => `${sessionCookieName(Number(new URL(web.origin).port))}=${secret}`;

beforeEach(() => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'assets'));
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>tw</title>');
  status.mockClear();
});
afterEach(async () => {
  await Promise.all(open.map((web) => web.close()));
  open = [];
  dir.remove();
});

const MiB = 1024 * 1024;

/**
 * Streams up to `maxBytes` of body (chunked, no Content-Length, so the server cannot judge the
 * size up front) and stops as soon as an answer arrives or the server hangs up. Returns the
 * answer's status and how much had been sent by then.
 */
function streamBody(
  web: WebTransport,
  path: string,
  cookie: string,
  maxBytes: number,
): Promise<{ status: number; sentBeforeAnswer: number }> {
  const url = new URL(path, web.origin);
  const chunk = Buffer.alloc(MiB, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let status = 0;
    let sentAtAnswer = -1;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      resolve({ status, sentBeforeAnswer: sentAtAnswer === -1 ? sent : sentAtAnswer });
    };
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
      },
      (res) => {
        status = res.statusCode ?? 0;
        sentAtAnswer = sent;
        res.resume();
        res.on('end', finish);
        res.on('close', finish);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') {
        if (status !== 0) finish();
        else setTimeout(finish, 200); // the answer may still be on its way
      } else reject(error);
    });
    const pump = () => {
      while (!finished && sentAtAnswer === -1 && sent < maxBytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed && !req.writableEnded) req.end();
    };
    pump();
  });
}

describe('web transport refusals that read nothing they need not', () => {
  it('refuses a channel named after a built-in property without reading its body', async () => {
    const web = await start();
    for (const name of ['constructor', '__proto__', 'toString']) {
      const answer = await streamBody(web, `/api/invoke/${name}`, cookieFor(web), 256 * MiB);
      expect(answer.status, name).toBe(404);
      // Sockets buffer a few MiB on both sides; a body read whole would be all 256 MiB.
      expect(answer.sentBeforeAnswer, name).toBeLessThan(64 * MiB);
    }
    expect(status).not.toHaveBeenCalled();
  });

  it('refuses an over-limit body for a real channel before it is all sent', async () => {
    const web = await start();
    const answer = await streamBody(web, '/api/invoke/app.status', cookieFor(web), 256 * MiB);
    expect(answer.status).toBe(413);
    expect(answer.sentBeforeAnswer).toBeLessThan(64 * MiB);
    expect(status).not.toHaveBeenCalled();
  });

  it('refuses a call without the session cookie before reading the body', async () => {
    const web = await start();
    const answer = await streamBody(web, '/api/invoke/app.status', 'other=1', 256 * MiB);
    expect(answer.status).toBe(401);
    expect(answer.sentBeforeAnswer).toBeLessThan(64 * MiB);
  });

  it('answers a bad % escape in the channel path with 400', async () => {
    const web = await start();
    for (const path of ['/api/invoke/%E0%A4%A', '/api/invoke/%', '/api/invoke/app.status%ZZ']) {
      const res = await request(`${web.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookieFor(web) },
        body: '{}',
      });
      expect(res.statusCode, path).toBe(400);
      await res.body.dump();
    }
    expect(status).not.toHaveBeenCalled();
  });
});

describe('web transport session cookie', () => {
  /** A browser's jar for 127.0.0.1: one value per cookie name, whatever port set it. */
  class CookieJar {
    private readonly values = new Map<string, string>();
    take(setCookie: string | string[] | undefined): void {
      for (const line of [setCookie ?? []].flat()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        this.values.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
      }
    }
    header(): string {
      return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
    }
  }

  it('keeps two instances on one host signed in side by side', async () => {
    const first = await start('first-instance-secret-0123');
    const second = await start('second-instance-secret-456');
    const jar = new CookieJar();
    for (const web of [first, second]) {
      const login = await request(web.loginUrl);
      expect(login.statusCode).toBe(303);
      jar.take(login.headers['set-cookie']);
      await login.body.dump();
    }
    // Signing in to the second did not sign the first out.
    for (const web of [first, second]) {
      const res = await request(`${web.origin}/api/invoke/app.status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: jar.header() },
        body: '{}',
      });
      expect(res.statusCode, web.origin).toBe(200);
      await res.body.dump();
    }
  });
});
