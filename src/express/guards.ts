/**
 * The checks every request passes before its route, in this order: allowed hosts, credentials,
 * cross-site writes, read-only mode, and writes without any configured `auth`.
 *
 * @internal
 * @module
 */
import type { Request } from 'express';
import { authenticate } from './auth.js';
import { HttpError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/** Whether a request only reads (`GET`, `HEAD`, `OPTIONS`); everything else is a write. */
export function isRead(req: Request): boolean {
  return req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
}

/** The host name of a `Host` header, without its port (`[::1]:3000` gives `[::1]`). */
function hostName(host: string): string {
  const bracket = host.startsWith('[') ? host.indexOf(']') : -1;
  if (bracket > 0) return host.slice(0, bracket + 1);
  const colon = host.indexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function checkHost(req: Request, allowed: ReadonlySet<string>): void {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (host !== '' && (allowed.has(host) || allowed.has(hostName(host)))) return;
  throw new HttpError(403, 'ERR_HOST_NOT_ALLOWED', `Host ${JSON.stringify(host)} is not allowed`);
}

/**
 * Whether the request is for the dashboard page under bearer auth. A browser cannot send a
 * bearer token when it navigates to a page, and the page holds no data (every datum comes from
 * the API, with the token the user types), so it is served to anyone and asks for the token.
 */
function isOpenDashboard(req: Request, options: ResolvedOptions): boolean {
  return (
    options.authKind === 'bearer' &&
    options.dashboard &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    (req.path === '/dashboard' || req.path === '/dashboard/')
  );
}

/**
 * Whether a write comes from a page of another origin. Browsers that send `Sec-Fetch-Site` say
 * so (`same-site` included: a sibling subdomain is another origin, and with ambient credentials
 * such as Basic auth or cookies a bodyless `POST` needs no CORS preflight). For older browsers the
 * `Origin` header is compared with the `Host` (or `X-Forwarded-Host`) the request was sent to.
 */
function isCrossOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'cross-site' || site === 'same-site';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return true; // `Origin: null` (sandboxed frames, file: pages) or garbage
  }
  const forwarded = req.headers['x-forwarded-host'];
  const hosts = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',') : [])];
  return !hosts.some((host) => host !== undefined && host.trim().toLowerCase() === originHost);
}

/** Runs every guard for a request; throws the `HttpError` of the first that refuses it. */
export async function guard(req: Request, options: ResolvedOptions): Promise<void> {
  if (options.allowedHosts) checkHost(req, options.allowedHosts);
  const write = !isRead(req);
  if (options.auth !== undefined && options.auth !== false && !isOpenDashboard(req, options)) {
    await authenticate(req, options.auth, write ? 'write' : 'read');
  }
  if (!write) return;
  if (!options.allowCrossSite && isCrossOrigin(req)) {
    throw new HttpError(403, 'ERR_CROSS_SITE', 'Cross-site write requests are refused (see the allowCrossSite option)');
  }
  if (options.readOnly) throw new HttpError(403, 'ERR_READ_ONLY', 'The scheduler API is read-only');
  if (options.auth === undefined) {
    throw new HttpError(
      401,
      'ERR_AUTH_REQUIRED',
      'Write routes need authentication: configure the auth option of schedulerRouter(), or pass auth: false ' +
        'to turn it off explicitly (only behind your own authentication)',
    );
  }
}
