/**
 * Authentication: Basic and bearer credentials compared in constant time, or the application's
 * own function. Runs before the body is read.
 *
 * @internal
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from './errors.js';
import type { AuthOption, RouterAccess } from './options.js';

/** Hashes first, so the comparison takes the same time whatever the lengths. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time equality of two strings (no early exit on length or first difference). */
export function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The credentials of an `Authorization` header with the given scheme, or `undefined`. */
function credentials(req: Request, scheme: 'basic' | 'bearer'): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match || match[1]?.toLowerCase() !== scheme) return undefined;
  return match[2];
}

function checkBasic(req: Request, username: string, password: string): boolean {
  const encoded = credentials(req, 'basic');
  if (encoded === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always: `&` rather than `&&`, so a wrong user name takes as long as a wrong password.
  const userOk = safeEqual(decoded.slice(0, colon), username);
  const passwordOk = safeEqual(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

/**
 * Checks a request against a configured `auth` (not `undefined`, not `false`).
 * @throws HttpError 401 `ERR_UNAUTHORIZED` when the request is refused
 */
export async function authenticate(req: Request, auth: Exclude<AuthOption, false>, access: RouterAccess): Promise<void> {
  let ok = false;
  let challenge: string | undefined;
  if (typeof auth === 'function') {
    try {
      ok = (await auth(req, access)) === true;
    } catch {
      ok = false;
    }
  } else if ('basic' in auth) {
    ok = checkBasic(req, auth.basic.username, auth.basic.password);
    challenge = 'Basic realm="timetable"';
  } else {
    const token = credentials(req, 'bearer');
    ok = token !== undefined && safeEqual(token, auth.bearer);
    challenge = 'Bearer';
  }
  if (ok) return;
  throw new HttpError(
    401,
    'ERR_UNAUTHORIZED',
    'Missing or invalid credentials',
    undefined,
    challenge === undefined ? undefined : { 'WWW-Authenticate': challenge },
  );
}
