/**
 * The options of `schedulerRouter()` and their validation.
 *
 * @module
 */
import type { Request } from 'express';

/** What a request wants to do: `'read'` (GET, HEAD, OPTIONS) or `'write'` (every other method). */
export type RouterAccess = 'read' | 'write';

/**
 * Decides whether a request may proceed. Return (or resolve to) exactly `true` to let it through;
 * anything else, a throw or a rejection answers 401 `ERR_UNAUTHORIZED`. Called before the body is
 * read, so only headers, the URL and what earlier middleware put on `req` are available.
 *
 * @param req - the request
 * @param access - `'write'` for every request that changes something
 */
export type AuthFunction = (req: Request, access: RouterAccess) => boolean | Promise<boolean>;

/** HTTP Basic credentials, compared in constant time. */
export interface BasicAuthOption {
  /** The one accepted user name and password. */
  basic: {
    /** The user name. */
    username: string;
    /** The password (not empty). */
    password: string;
  };
}

/** A bearer token (`Authorization: Bearer <token>`), compared in constant time. */
export interface BearerAuthOption {
  /** The accepted token (not empty). */
  bearer: string;
}

/** The `auth` option: a function, Basic credentials, a bearer token, or `false` (no auth). */
export type AuthOption = AuthFunction | BasicAuthOption | BearerAuthOption | false;

/**
 * Options of `schedulerRouter()`. Every option has a safe default: without `auth` the read routes
 * are open and every write route answers 401 until `auth` is configured (or `auth: false` is given).
 */
export interface SchedulerRouterOptions {
  /**
   * Who may use the API. A function of the request, `{ basic: { username, password } }`,
   * `{ bearer: token }`, or `false` to turn authentication off (only behind your own auth).
   * When configured, every route needs it (reads and `/events` included), and so does the
   * `/dashboard` page, except under `{ bearer }`: a browser cannot send a bearer token when it
   * opens a page, so the page (which holds no data) is served and asks for the token.
   * @defaultValue none: reads open, writes refused with 401 `ERR_AUTH_REQUIRED`
   */
  auth?: AuthOption;
  /** Refuse every write route with 403 `ERR_READ_ONLY`. @defaultValue `false` */
  readOnly?: boolean;
  /**
   * The task names a job created or changed over HTTP may name: a subset of the scheduler's
   * registered tasks (names not registered at request time are ignored).
   * @defaultValue every registered task, read at each request
   */
  tasks?: string[];
  /**
   * Accepted values of the `Host` header (a host name such as `localhost`, or `host:port`);
   * others get 403 `ERR_HOST_NOT_ALLOWED`. Protects a local-only API from DNS rebinding.
   * @defaultValue any host
   */
  allowedHosts?: string[];
  /**
   * Accept write requests from pages of other origins: those a browser marks
   * `Sec-Fetch-Site: cross-site` or `same-site`, or (from browsers without `Sec-Fetch-Site`) whose
   * `Origin` differs from the `Host` (or `X-Forwarded-Host`) they were sent to. Refused by default
   * (403 `ERR_CROSS_SITE`) against CSRF with ambient credentials.
   * @defaultValue `false`
   */
  allowCrossSite?: boolean;
  /**
   * Largest accepted request body: bytes, or a string such as `'100kb'` or `'1mb'`. Larger
   * bodies get 413 `ERR_PAYLOAD_TOO_LARGE`.
   * @defaultValue `'100kb'`
   */
  bodyLimit?: number | string;
  /** Serve the dashboard page at `GET /dashboard`. @defaultValue `true` */
  dashboard?: boolean;
  /** Run outcomes kept per job for `history` and `lastOutcome` (0 keeps none). @defaultValue `20` */
  historySize?: number;
  /** Seconds between `: ping` comments on `GET /events` streams. @defaultValue `15` */
  heartbeatInterval?: number;
  /**
   * Called with every unexpected error, i.e. one answered with 500 `ERR_INTERNAL` (the client
   * never sees its message or stack).
   * @defaultValue logs to `console.error`
   */
  onError?: (error: unknown, req: Request) => void;
}

/** The kind of authentication configured, as shown in `GET /`. */
export type AuthKind = 'none' | 'disabled' | 'basic' | 'bearer' | 'custom';

/** Options after validation. @internal */
export interface ResolvedOptions {
  auth: AuthOption | undefined;
  authKind: AuthKind;
  readOnly: boolean;
  tasks: readonly string[] | undefined;
  allowedHosts: ReadonlySet<string> | undefined;
  allowCrossSite: boolean;
  bodyLimit: number;
  dashboard: boolean;
  historySize: number;
  heartbeatMs: number;
  onError: (error: unknown, req: Request) => void;
}

const KEYS = new Set([
  'auth', 'readOnly', 'tasks', 'allowedHosts', 'allowCrossSite', 'bodyLimit', 'dashboard', 'historySize',
  'heartbeatInterval', 'onError',
]);
const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function fail(option: string, expected: string): never {
  throw new TypeError(`schedulerRouter: invalid option ${option} (expected ${expected})`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalBoolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, 'a boolean');
  return value;
}

function stringList(value: unknown, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    fail(option, 'an array of non-empty strings');
  }
  return value as string[];
}

/** Parses `bodyLimit`: bytes, or a number with a unit (`b`, `kb`, `mb`, `gb`). */
export function parseBodyLimit(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value) : null;
  if (!match) fail('bodyLimit', "a number of bytes or a size such as '100kb' or '1mb'");
  return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

function resolveAuth(auth: unknown): { auth: AuthOption | undefined; authKind: AuthKind } {
  if (auth === undefined) return { auth: undefined, authKind: 'none' };
  if (auth === false) return { auth: false, authKind: 'disabled' };
  if (typeof auth === 'function') return { auth: auth as AuthFunction, authKind: 'custom' };
  const expected = 'a function, { basic: { username, password } }, { bearer: token } or false';
  if (!isObject(auth)) fail('auth', expected);
  const keys = Object.keys(auth);
  if (keys.length === 1 && keys[0] === 'bearer') {
    if (typeof auth.bearer !== 'string' || auth.bearer === '') fail('auth.bearer', 'a non-empty string');
    return { auth: { bearer: auth.bearer }, authKind: 'bearer' };
  }
  if (keys.length === 1 && keys[0] === 'basic' && isObject(auth.basic)) {
    const { username, password } = auth.basic;
    if (typeof username !== 'string' || username.includes(':')) {
      fail('auth.basic.username', 'a string without a colon');
    }
    if (typeof password !== 'string' || password === '') fail('auth.basic.password', 'a non-empty string');
    return { auth: { basic: { username, password } }, authKind: 'basic' };
  }
  return fail('auth', expected);
}

const logError = (error: unknown): void => console.error('timetable/express: unexpected error', error);

/** Validates the options; throws a `TypeError` naming the option at fault. @internal */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {};
  if (!isObject(options)) fail('options', 'an object');
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) fail(key, `one of the known options: ${[...KEYS].join(', ')}`);
  }
  const o = options as SchedulerRouterOptions;
  const historySize = o.historySize ?? 20;
  if (!Number.isInteger(historySize) || historySize < 0) fail('historySize', 'an integer >= 0');
  const heartbeat = o.heartbeatInterval ?? 15;
  if (typeof heartbeat !== 'number' || !(heartbeat > 0) || heartbeat * 1000 > 2 ** 31 - 1) {
    fail('heartbeatInterval', 'a positive number of seconds');
  }
  if (o.onError !== undefined && typeof o.onError !== 'function') fail('onError', 'a function');
  const hosts = stringList(o.allowedHosts, 'allowedHosts');
  return {
    ...resolveAuth(o.auth),
    readOnly: optionalBoolean(o.readOnly, 'readOnly', false),
    tasks: stringList(o.tasks, 'tasks'),
    allowedHosts: hosts && new Set(hosts.map((host) => host.toLowerCase())),
    allowCrossSite: optionalBoolean(o.allowCrossSite, 'allowCrossSite', false),
    bodyLimit: parseBodyLimit(o.bodyLimit ?? '100kb'),
    dashboard: optionalBoolean(o.dashboard, 'dashboard', true),
    historySize,
    heartbeatMs: heartbeat * 1000,
    onError: o.onError ?? logError,
  };
}
