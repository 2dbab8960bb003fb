import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from '../core/security/csp';
import { contentTypeOf, resolveStaticFile } from '../core/security/static-files';
import { APP_HOST, APP_SCHEME } from './origin';

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

// Every answer carries the CSP, errors included: no response of our origin runs without it.
const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

const notFound = () => new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain', ...SECURITY_HEADERS } });

/** Serves the built renderer from app://ticket-window/. */
export async function serveRenderer(request: Request, rendererDir: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return notFound();
  const file = resolveStaticFile(rendererDir, url.pathname);
  if (!file) return notFound();
  try {
    const body = await readFile(file);
    return new Response(body, { headers: { 'Content-Type': contentTypeOf(file), ...SECURITY_HEADERS } });
  } catch {
    return notFound();
  }
}

export function registerRendererProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveRenderer(request, rendererDir));
}
