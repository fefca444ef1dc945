// Who may do what: auth omitted, off, Basic, bearer and custom; read-only mode; allowed hosts;
// cross-site writes; option validation.
import type { Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { safeEqual } from '../../src/express/auth.js';
import type { RouterAccess, SchedulerRouterOptions } from '../../src/express/index.js';
import { setup, snapshot, VERSIONS, type Setup } from './harness.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const newJob = { id: 'new', task: 'greet', trigger: { type: 'interval', minutes: 1 } };

/** One request per write route, as [method, path, body?]. */
const WRITES: ['post' | 'patch' | 'delete', string, object?][] = [
  ['post', '/scheduler/jobs', newJob],
  ['patch', '/scheduler/jobs/keep', { name: 'x' }],
  ['delete', '/scheduler/jobs/keep'],
  ['post', '/scheduler/jobs/keep/pause'],
  ['post', '/scheduler/jobs/keep/resume'],
  ['post', '/scheduler/jobs/keep/run'],
  ['post', '/scheduler/pause'],
  ['post', '/scheduler/resume'],
  ['post', '/scheduler/start'],
  ['post', '/scheduler/shutdown', { wait: false }],
];
const READS = ['/scheduler', '/scheduler/jobs', '/scheduler/jobs/keep', '/scheduler/tasks', '/scheduler/dashboard'];

describe.each(VERSIONS)('access control on $name', (version) => {
  let s: Setup | undefined;
  const start = async (options: SchedulerRouterOptions) => {
    s = await setup(version, options);
    await s.scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'keep' });
    return s;
  };
  afterEach(async () => {
    s?.router.close();
    if (s && s.scheduler.state !== 'stopped') await s.scheduler.shutdown({ wait: false });
    s = undefined;
  });

  /** Sends every write route with `headers`; expects each to be refused and nothing changed. */
  async function expectWritesRefused(
    { request, scheduler }: Setup,
    headers: Record<string, string>,
    status: number,
    code: string,
  ): Promise<void> {
    const before = await snapshot(scheduler);
    for (const [method, path, body] of WRITES) {
      let req = request[method](path).set(headers);
      if (body) req = req.send(body);
      const res = await req;
      expect([method, path, res.status, res.body.error?.code]).toEqual([method, path, status, code]);
    }
    expect(scheduler.state).toBe('running');
    expect(await snapshot(scheduler)).toBe(before);
  }

  it('without auth: reads are open, every write answers 401 ERR_AUTH_REQUIRED', async () => {
    const setup = await start({});
    for (const path of READS) expect([path, (await setup.request.get(path)).status]).toEqual([path, 200]);
    await expectWritesRefused(setup, {}, 401, 'ERR_AUTH_REQUIRED');
    const res = await setup.request.post('/scheduler/jobs').send(newJob);
    expect(res.body.error.message).toMatch(/configure the auth option.*auth: false/);
    expect((await setup.request.get('/scheduler')).body.auth).toBe('none');
  });

  it('auth: false opens the write routes', async () => {
    const { request, scheduler } = await start({ auth: false });
    expect((await request.post('/scheduler/jobs').send(newJob)).status).toBe(201);
    expect(await scheduler.getJob('new')).toBeDefined();
  });

  it('basic: every route needs the credentials, compared in full', async () => {
    const setup = await start({ auth: { basic: { username: 'admin', password: 'pa:ss' } } });
    const { request } = setup;
    for (const path of [...READS, '/scheduler/events', '/scheduler/nope']) {
      const res = await request.get(path);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 401, 'ERR_UNAUTHORIZED']);
      expect(res.headers['www-authenticate']).toBe('Basic realm="timetable"');
    }
    for (const header of [basic('admin', 'pa:s'), basic('admin', 'pa:ss '), basic('Admin', 'pa:ss'), basic('', 'pa:ss'), 'Basic 1231234', 'Basic', `Bearer ${Buffer.from('admin:pa:ss').toString('base64')}`, 'Basic !!!!']) {
      expect([header, (await request.get('/scheduler').set('Authorization', header)).status]).toEqual([header, 401]);
    }
    await expectWritesRefused(setup, { Authorization: basic('admin', 'wrong') }, 401, 'ERR_UNAUTHORIZED');
    const ok = basic('admin', 'pa:ss');
    for (const path of READS) expect([path, (await request.get(path).set('Authorization', ok)).status]).toEqual([path, 200]);
    expect((await request.get('/scheduler').set('Authorization', ok.replace('Basic', 'basic'))).status).toBe(200);
    expect((await request.post('/scheduler/jobs').set('Authorization', ok).send(newJob)).status).toBe(201);
    expect((await request.get('/scheduler').set('Authorization', ok)).body.auth).toBe('basic');
  });

  it('bearer: every route but the dashboard page needs the token', async () => {
    const setup = await start({ auth: { bearer: 's3cret-token' } });
    const { request } = setup;
    const missing = await request.get('/scheduler/jobs');
    expect([missing.status, missing.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    // A browser cannot send the token when it opens the page; the page holds no data and asks for it.
    const page = await request.get('/scheduler/dashboard');
    expect([page.status, page.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    for (const path of ['/scheduler/events', '/scheduler/', '/scheduler/dashboard/x']) {
      expect([path, (await request.get(path)).status]).toEqual([path, 401]);
    }
    expect((await request.post('/scheduler/dashboard')).status).toBe(401);
    for (const header of ['Bearer s3cret-toke', 'Bearer s3cret-token2', 'Bearer', 'Token s3cret-token', basic('s3cret-token', '')]) {
      expect([header, (await request.get('/scheduler').set('Authorization', header)).status]).toEqual([header, 401]);
    }
    await expectWritesRefused(setup, { Authorization: 'Bearer nope' }, 401, 'ERR_UNAUTHORIZED');
    expect((await request.get('/scheduler/dashboard').set('Authorization', 'Bearer s3cret-token')).status).toBe(200);
    const created = await request.post('/scheduler/jobs').set('Authorization', 'Bearer s3cret-token').send(newJob);
    expect(created.status).toBe(201);
  });

  it('a custom function gets the request and the access; only `true` lets it through', async () => {
    const calls: [string, string, RouterAccess][] = [];
    const setup = await start({
      auth: async (req: Request, access) => {
        calls.push([req.method, req.path, access]);
        const key = req.headers['x-api-key'];
        if (key === 'throws') throw new Error('verifier crashed');
        if (key === 'truthy') return 'yes' as unknown as boolean;
        if (key === 'reader') return access === 'read';
        return key === 'writer';
      },
    });
    const { request } = setup;
    expect((await request.get('/scheduler/jobs')).status).toBe(401);
    expect((await request.get('/scheduler/jobs')).headers['www-authenticate']).toBeUndefined();
    expect((await request.get('/scheduler/jobs').set('x-api-key', 'throws')).status).toBe(401);
    expect((await request.get('/scheduler/jobs').set('x-api-key', 'truthy')).status).toBe(401);
    expect((await request.get('/scheduler/jobs').set('x-api-key', 'reader')).status).toBe(200);
    await expectWritesRefused(setup, { 'x-api-key': 'reader' }, 401, 'ERR_UNAUTHORIZED');
    calls.length = 0;
    expect((await request.get('/scheduler/jobs/keep').set('x-api-key', 'writer')).status).toBe(200);
    expect((await request.post('/scheduler/jobs/keep/pause').set('x-api-key', 'writer')).status).toBe(200);
    expect(calls).toEqual([
      ['GET', '/jobs/keep', 'read'],
      ['POST', '/jobs/keep/pause', 'write'],
    ]);
    expect((await request.get('/scheduler').set('x-api-key', 'writer')).body.auth).toBe('custom');
  });

  it('readOnly: writes answer 403 ERR_READ_ONLY, reads work; credentials are checked first', async () => {
    const open = await start({ readOnly: true });
    await expectWritesRefused(open, {}, 403, 'ERR_READ_ONLY');
    expect((await open.request.get('/scheduler')).body).toMatchObject({ readOnly: true });
    open.router.close();
    await open.scheduler.shutdown();
    const locked = await start({ readOnly: true, auth: { bearer: 't' } });
    await expectWritesRefused(locked, {}, 401, 'ERR_UNAUTHORIZED');
    await expectWritesRefused(locked, { Authorization: 'Bearer t' }, 403, 'ERR_READ_ONLY');
    expect((await locked.request.get('/scheduler/jobs').set('Authorization', 'Bearer t')).status).toBe(200);
  });

  it('allowedHosts: other Host headers get 403 ERR_HOST_NOT_ALLOWED, on reads too', async () => {
    const { request } = await start({ auth: false, allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'example.com:8443'] });
    for (const host of ['localhost', 'localhost:3000', 'LOCALHOST:80', '127.0.0.1:9', '[::1]:3000', 'example.com:8443']) {
      expect([host, (await request.get('/scheduler').set('Host', host)).status]).toEqual([host, 200]);
    }
    for (const host of ['evil.example', 'localhost.evil.example', 'example.com', 'example.com:80', '127.0.0.2']) {
      const res = await request.get('/scheduler/jobs').set('Host', host);
      expect([host, res.status, res.body.error.code]).toEqual([host, 403, 'ERR_HOST_NOT_ALLOWED']);
    }
  });

  it('cross-site writes are refused unless allowCrossSite; cross-site reads are not', async () => {
    const setup = await start({ auth: false });
    await expectWritesRefused(setup, { 'Sec-Fetch-Site': 'cross-site' }, 403, 'ERR_CROSS_SITE');
    expect((await setup.request.get('/scheduler').set('Sec-Fetch-Site', 'cross-site')).status).toBe(200);
    expect((await setup.request.post('/scheduler/jobs/keep/pause').set('Sec-Fetch-Site', 'same-origin')).status).toBe(200);
    const allowed = await setup.request.post('/scheduler/jobs/keep/resume');
    expect(allowed.status).toBe(200);
    const open = await setup2({ auth: false, allowCrossSite: true });
    expect((await open.request.post('/scheduler/jobs/keep/pause').set('Sec-Fetch-Site', 'cross-site')).status).toBe(200);
    expect((await open.request.post('/scheduler/jobs/keep/resume').set('Origin', 'http://evil.example')).status).toBe(200);
    open.router.close();
    await open.scheduler.shutdown();
  });

  it('same-site writes, and writes whose Origin is another host (browsers without Sec-Fetch-Site), are refused too', async () => {
    const setup = await start({ auth: false });
    // A sibling subdomain is same-site but another origin; a bodyless POST needs no preflight.
    await expectWritesRefused(setup, { 'Sec-Fetch-Site': 'same-site' }, 403, 'ERR_CROSS_SITE');
    await expectWritesRefused(setup, { Origin: 'http://evil.example' }, 403, 'ERR_CROSS_SITE');
    await expectWritesRefused(setup, { Origin: 'null' }, 403, 'ERR_CROSS_SITE');
    expect((await setup.request.get('/scheduler').set('Origin', 'http://evil.example')).status).toBe(200);
    const sameOrigin = await setup.request.post('/scheduler/jobs/keep/pause').set('Host', 'app.example:8080').set('Origin', 'http://APP.example:8080');
    expect(sameOrigin.status).toBe(200);
    const proxied = await setup.request
      .post('/scheduler/jobs/keep/resume')
      .set('Host', 'localhost:3000')
      .set('X-Forwarded-Host', 'app.example')
      .set('Origin', 'https://app.example');
    expect(proxied.status).toBe(200);
    // Sec-Fetch-Site, when sent, decides: a same-origin request is let through whatever the proxy did to Host.
    const fetched = await setup.request.post('/scheduler/jobs/keep/pause').set('Sec-Fetch-Site', 'same-origin').set('Origin', 'https://app.example');
    expect(fetched.status).toBe(200);
  });

  async function setup2(options: SchedulerRouterOptions): Promise<Setup> {
    const other = await setup(version, options);
    await other.scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'keep' });
    return other;
  }
});

describe('options', () => {
  const version = VERSIONS[1]!;
  it.each([
    [{ auth: true }, /invalid option auth/],
    [{ auth: {} }, /invalid option auth/],
    [{ auth: { basic: { username: 'a' } } }, /auth\.basic\.password/],
    [{ auth: { basic: { username: 'a:b', password: 'p' } } }, /auth\.basic\.username/],
    [{ auth: { bearer: '' } }, /auth\.bearer/],
    [{ auth: { bearer: 't', basic: { username: 'a', password: 'b' } } }, /invalid option auth/],
    [{ readonly: true }, /invalid option readonly/],
    [{ readOnly: 'yes' }, /readOnly/],
    [{ tasks: 'greet' }, /tasks/],
    [{ allowedHosts: [''] }, /allowedHosts/],
    [{ bodyLimit: '10 parsecs' }, /bodyLimit/],
    [{ bodyLimit: -1 }, /bodyLimit/],
    [{ historySize: -1 }, /historySize/],
    [{ historySize: 1.5 }, /historySize/],
    [{ heartbeatInterval: 0 }, /heartbeatInterval/],
    [{ onError: 'log' }, /onError/],
    [{ dashboard: 1 }, /dashboard/],
  ])('%j is refused with a TypeError', async (options, message) => {
    const { scheduler } = await setup(version, { auth: false }, { started: false });
    expect(() => version.router(scheduler, options as SchedulerRouterOptions)).toThrow(TypeError);
    expect(() => version.router(scheduler, options as SchedulerRouterOptions)).toThrow(message);
  });

  it('refuses something that is not a scheduler', () => {
    expect(() => version.router({} as never, { auth: false })).toThrow(/must be a Scheduler/);
  });

  it('safeEqual compares whole strings', () => {
    expect(safeEqual('token', 'token')).toBe(true);
    expect(safeEqual('token', 'tokeN')).toBe(false);
    expect(safeEqual('token', 'token-longer')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});
