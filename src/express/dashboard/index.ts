/**
 * The dashboard page of `timetable/express`: one self-contained HTML document (inline CSS and
 * JavaScript, no CDN, no fonts, works offline) that talks to the router's JSON API from the
 * browser. Internal to the subpath: the router mounts it at `GET /dashboard`.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { renderDashboard } from './page.js';

/**
 * The Content-Security-Policy of the page: nothing may load or run but the page's own nonced
 * style and script, and it may only talk to its own origin.
 * @internal
 */
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sends the dashboard page: sets Content-Type, a strict Content-Security-Policy with a fresh
 * nonce, no-store caching, `nosniff` and `no-referrer`. Works with any Node `ServerResponse`
 * (an Express `res` is one); the body is skipped for `HEAD` by Node itself.
 * @internal
 */
export function sendDashboard(res: ServerResponse): void {
  const nonce = randomBytes(16).toString('base64');
  const body = Buffer.from(renderDashboard(nonce), 'utf8');
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', dashboardCsp(nonce));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.end(body);
}
