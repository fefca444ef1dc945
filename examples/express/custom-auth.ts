/**
 * Auth with your own function: a JWT check (HS256) written with node:crypto alone. A token's
 * `scope` claim decides what it may do: `scheduler:read` for the read routes, `scheduler:write`
 * for the others. The function receives the request and the access it needs, and lets the
 * request through only by returning `true`.
 *
 * Run:  npx tsx examples/express/custom-auth.ts
 * See:  which tokens are accepted for reading and writing; the process exits by itself.
 *
 * In production use a maintained JWT library (jose, jsonwebtoken) the same way: verify inside the
 * function and return `true` or `false` (a throw counts as `false`).
 */
import { once } from 'node:events';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Scheduler } from '../../src/index.js';
import { schedulerRouter, type AuthFunction } from '../../src/express/index.js';

const SECRET = 'a-long-random-secret-from-your-config';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const hmac = (text: string) => createHmac('sha256', SECRET).update(text).digest();

/** Signs claims as an HS256 JWT (here only to have tokens to try). */
function sign(claims: Record<string, unknown>): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${head}.${base64url(hmac(head))}`;
}

/** The claims of a valid, unexpired HS256 token, or `undefined`. */
function verify(token: string, nowSeconds: number): Record<string, unknown> | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return undefined;
  const given = Buffer.from(signature, 'base64url');
  const expected = hmac(`${header}.${payload}`);
  // Constant time: timingSafeEqual needs equal lengths, which a SHA-256 HMAC always has.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown };
  if (alg !== 'HS256') return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
  return claims;
}

const jwtAuth: AuthFunction = (req, access) => {
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  const claims = match?.[1] === undefined ? undefined : verify(match[1], Date.now() / 1000);
  const scopes = typeof claims?.scope === 'string' ? claims.scope.split(' ') : [];
  return scopes.includes(`scheduler:${access}`);
};

const scheduler = new Scheduler({ tasks: { cleanup: () => 'cleaned' } });
const router = schedulerRouter(scheduler, { auth: jwtAuth });
const app = express();
app.use('/scheduler', router);
await scheduler.start();
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scheduler`;

const inAnHour = Math.floor(Date.now() / 1000) + 3600;
const tokens = {
  reader: sign({ sub: 'dashboard', scope: 'scheduler:read', exp: inAnHour }),
  writer: sign({ sub: 'ops', scope: 'scheduler:read scheduler:write', exp: inAnHour }),
  expired: sign({ sub: 'ops', scope: 'scheduler:read scheduler:write', exp: 1 }),
  tampered: sign({ sub: 'dashboard', scope: 'scheduler:read', exp: inAnHour }).replace(/\.[^.]+\./, `.${base64url(JSON.stringify({ sub: 'dashboard', scope: 'scheduler:read scheduler:write', exp: inAnHour }))}.`),
  none: undefined,
};

let n = 0;
for (const [name, token] of Object.entries(tokens)) {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  const read = await fetch(`${base}/jobs`, { headers });
  const write = await fetch(`${base}/jobs`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: `cleanup-${++n}`, task: 'cleanup', trigger: '0 3 * * *' }),
  });
  const code = write.ok ? '' : ` ${((await write.json()) as { error: { code: string } }).error.code}`;
  console.log(`${name.padEnd(8)} GET /jobs -> ${read.status}   POST /jobs -> ${write.status}${code}`);
}
console.log(`jobs: ${(await scheduler.getJobs()).map((job) => job.id).join(', ')}`);

router.close();
server.close();
await scheduler.shutdown();
