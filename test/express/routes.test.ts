// Every route of timetable/express on Express 4 and 5: the answers a well-formed request gets.
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryJobStore } from '../../src/index.js';
import { T0 } from '../helpers/scheduler.js';
import { setup, snapshot, VERSIONS, type Setup } from './harness.js';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

describe.each(VERSIONS)('routes on $name', (version) => {
  let current: Setup | undefined;
  const start = async (...args: Parameters<typeof setup> extends [unknown, ...infer R] ? R : never) =>
    (current = await setup(version, ...args));
  afterEach(async () => {
    current?.router.close();
    if (current && current.scheduler.state !== 'stopped') await current.scheduler.shutdown({ wait: false });
    current = undefined;
  });

  it.each([
    ['a StoreError', 'ERR_STORE', 503, 'ERR_STORE'],
    ['an error whose code is a prototype key', 'toString', 500, 'ERR_INTERNAL'],
  ])('answers %s from the store without its message', async (_, code, status, answered) => {
    const store = new MemoryJobStore();
    store.getJobs = async () => {
      throw Object.assign(new Error('password=hunter2 at db.internal:5432'), { code });
    };
    const errors: unknown[] = [];
    const { request } = await start({ auth: false, onError: (error) => void errors.push(error) }, { scheduler: { stores: { default: store } } });
    const res = await request.get('/scheduler/jobs');
    expect([res.status, res.body.error.code]).toEqual([status, answered]);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(errors).toHaveLength(status === 500 ? 1 : 0);
  });

  it('GET / answers the scheduler info', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', minutes: 5 });
    const res = await request.get('/scheduler');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      state: 'running',
      timezone: 'UTC',
      stores: ['default'],
      executors: ['default'],
      jobCount: 1,
      readOnly: false,
      auth: 'disabled',
    });
  });

  it('POST /pause, /resume, /shutdown and /start drive the lifecycle', async () => {
    const { request, scheduler } = await start();
    expect((await request.post('/scheduler/pause')).body.state).toBe('paused');
    expect(scheduler.state).toBe('paused');
    expect((await request.post('/scheduler/pause')).status).toBe(200); // idempotent
    expect((await request.post('/scheduler/resume')).body.state).toBe('running');
    const again = await request.post('/scheduler/start');
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ERR_SCHEDULER_STATE');
    const stopped = await request.post('/scheduler/shutdown').send({ wait: false });
    expect(stopped.status).toBe(200);
    expect(stopped.body.state).toBe('stopped');
    expect(scheduler.state).toBe('stopped');
    for (const path of ['/scheduler/shutdown', '/scheduler/pause', '/scheduler/resume']) {
      const res = await request.post(path);
      expect([path, res.status, res.body.error.code]).toEqual([path, 409, 'ERR_SCHEDULER_STATE']);
    }
    const started = await request.post('/scheduler/start').send({ paused: true });
    expect(started.status).toBe(200);
    expect(started.body.state).toBe('paused');
  });

  it('GET /tasks lists the registered tasks, sorted, narrowed by the tasks option', async () => {
    const { request, scheduler } = await start();
    expect((await request.get('/scheduler/tasks')).body).toEqual({ tasks: ['cleanup', 'fail', 'greet'] });
    scheduler.registerTask('added-later', () => undefined);
    expect((await request.get('/scheduler/tasks')).body.tasks).toContain('added-later');
    const narrowed = await setup(version, { auth: false, tasks: ['greet', 'not-registered'] });
    expect((await narrowed.request.get('/scheduler/tasks')).body).toEqual({ tasks: ['greet'] });
    narrowed.router.close();
    await narrowed.scheduler.shutdown();
  });

  it('POST /jobs creates a job: 201, Location, the job as JSON with dates in the scheduler zone', async () => {
    const { request, scheduler } = await start({ auth: false }, { scheduler: { timezone: 'Europe/Berlin' } });
    const res = await request.post('/scheduler/jobs').send({
      id: 'daily report',
      task: 'greet',
      args: ['team'],
      trigger: { type: 'cron', hour: '9', minute: '30' },
      name: 'Daily report',
      misfireGraceTime: 60,
      coalesce: 'all',
      maxInstances: 2,
      jitter: 5,
      timeout: 30,
      metadata: { owner: 'ops' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/scheduler/jobs/daily%20report');
    expect(res.body).toEqual({
      id: 'daily report',
      name: 'Daily report',
      task: 'greet',
      args: ['team'],
      trigger: {
        spec: { type: 'cron', hour: '9', minute: '30', timezone: 'Europe/Berlin' },
        description: 'at 09:30 every day, Europe/Berlin',
      },
      nextRunTime: '2026-01-05T09:30:00.000+01:00',
      paused: false,
      pending: false,
      running: [],
      upcoming: ['2026-01-05T09:30:00.000+01:00', '2026-01-06T09:30:00.000+01:00', '2026-01-07T09:30:00.000+01:00', '2026-01-08T09:30:00.000+01:00', '2026-01-09T09:30:00.000+01:00'],
      store: 'default',
      executor: 'default',
      misfireGraceTime: 60,
      coalesce: 'all',
      maxInstances: 2,
      jitter: 5,
      timeout: 30,
      metadata: { owner: 'ops' },
      lastOutcome: null,
      history: [],
    });
    const job = await scheduler.getJob('daily report');
    expect(job?.nextRunTime?.toISOString()).toBe('2026-01-05T08:30:00.000Z');
    expect(job?.args).toEqual(['team']);
  });

  it('POST /jobs takes a crontab string, paused, nextRunTime and replaceExisting', async () => {
    const { request, scheduler } = await start();
    const cron = await request.post('/scheduler/jobs').send({ task: 'greet', trigger: '*/15 * * * *' });
    expect(cron.status).toBe(201);
    expect(cron.body.trigger.spec).toMatchObject({ type: 'cron', expression: '*/15 * * * *' });
    expect(cron.headers.location).toBe(`/scheduler/jobs/${cron.body.id}`);
    const paused = await request
      .post('/scheduler/jobs')
      .send({ id: 'p', task: 'cleanup', trigger: { type: 'interval', hours: 1 }, paused: true });
    expect(paused.body).toMatchObject({ paused: true, nextRunTime: null });
    const explicit = await request
      .post('/scheduler/jobs')
      .send({ id: 'p', task: 'greet', trigger: { type: 'interval', hours: 1 }, nextRunTime: '2026-01-05T00:10:00+01:00', replaceExisting: true });
    expect(explicit.status).toBe(201);
    expect(explicit.body).toMatchObject({ task: 'greet', paused: false, nextRunTime: '2026-01-04T23:10:00.000Z' });
    expect((await scheduler.getJobs()).map((job) => job.id).sort()).toEqual([cron.body.id, 'p'].sort());
  });

  it('POST /jobs while stopped adds a pending job', async () => {
    const { request, scheduler } = await start({ auth: false }, { started: false });
    const res = await request.post('/scheduler/jobs').send({ id: 'later', task: 'greet', trigger: { type: 'interval', minutes: 1 } });
    expect(res.status).toBe(201);
    expect(res.body.pending).toBe(true);
    await scheduler.start();
    expect((await request.get('/scheduler/jobs/later')).body).toMatchObject({ pending: false, nextRunTime: '2026-01-05T00:01:00.000Z' });
  });

  it('GET /jobs lists jobs in scheduler order with lastOutcome, without history', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', hours: 2 }, { id: 'b' });
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a' });
    await scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'z', paused: true });
    const res = await request.get('/scheduler/jobs');
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((job: { id: string }) => job.id)).toEqual(['a', 'b', 'z']);
    for (const job of res.body.jobs) {
      expect(job.lastOutcome).toBeNull();
      expect(job).not.toHaveProperty('history');
    }
    expect(res.body.jobs[0].nextRunTime).toMatch(ISO_WITH_OFFSET);
  });

  it('GET /jobs/:id answers the job, 404 for an unknown id, and decodes ids', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a/b c' });
    const res = await request.get('/scheduler/jobs/a%2Fb%20c');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'a/b c', history: [], lastOutcome: null });
    const missing = await request.get('/scheduler/jobs/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 'ERR_JOB_NOT_FOUND', message: 'No job with id "nope"', details: { id: 'nope' } },
    });
  });

  it('PATCH /jobs/:id changes a job and answers it; 404 for an unknown id', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a' });
    const res = await request
      .patch('/scheduler/jobs/a')
      .send({ name: 'renamed', task: 'cleanup', trigger: '0 12 * * *', args: [1], maxInstances: 3, metadata: { v: 2 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'a',
      name: 'renamed',
      task: 'cleanup',
      args: [1],
      maxInstances: 3,
      metadata: { v: 2 },
      nextRunTime: '2026-01-05T12:00:00.000Z',
      history: [],
    });
    const job = await scheduler.getJob('a');
    expect([job?.name, job?.task, job?.trigger.toJSON().expression]).toEqual(['renamed', 'cleanup', '0 12 * * *']);
    const missing = await request.patch('/scheduler/jobs/nope').send({ name: 'x' });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'ERR_JOB_NOT_FOUND']);
  });

  it('DELETE /jobs/:id answers 204, then the job is gone; 404 for an unknown id', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a' });
    const res = await request.delete('/scheduler/jobs/a');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await scheduler.getJob('a')).toBeUndefined();
    expect((await request.get('/scheduler/jobs/a')).status).toBe(404);
    expect((await request.delete('/scheduler/jobs/a')).status).toBe(404);
  });

  it('POST /jobs/:id/pause and /resume; resume answers 204 when the job had no run left', async () => {
    const { request, scheduler, clock } = await start();
    await scheduler.addJob('greet', { type: 'interval', minutes: 5 }, { id: 'a' });
    const paused = await request.post('/scheduler/jobs/a/pause');
    expect([paused.status, paused.body.paused, paused.body.nextRunTime]).toEqual([200, true, null]);
    const resumed = await request.post('/scheduler/jobs/a/resume');
    expect([resumed.status, resumed.body.paused, resumed.body.nextRunTime]).toEqual([200, false, '2026-01-05T00:05:00.000Z']);

    const end = new Date(T0 + 10 * 60_000).toISOString();
    await scheduler.addJob('greet', { type: 'interval', minutes: 5, endDate: end }, { id: 'ending', paused: true });
    await clock.advance(20 * 60_000);
    const finished = await request.post('/scheduler/jobs/ending/resume');
    expect(finished.status).toBe(204);
    expect(await scheduler.getJob('ending')).toBeUndefined();
    for (const action of ['pause', 'resume', 'run']) {
      const res = await request.post(`/scheduler/jobs/nope/${action}`);
      expect([action, res.status, res.body.error.code]).toEqual([action, 404, 'ERR_JOB_NOT_FOUND']);
    }
  });

  it('POST /jobs/:id/run answers 202; the outcome arrives in the history', async () => {
    const { request, scheduler } = await start();
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a', args: ['http'] });
    const executed = new Promise((resolve) => scheduler.once('job:executed', resolve));
    const res = await request.post('/scheduler/jobs/a/run');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ id: 'a', nextRunTime: '2026-01-05T01:00:00.000Z' });
    await executed;
    const after = await request.get('/scheduler/jobs/a');
    expect(after.body.history).toHaveLength(1);
    expect(after.body.lastOutcome).toMatchObject({ status: 'ok', scheduledRunTime: '2026-01-05T00:00:00.000Z' });
    await scheduler.shutdown();
    const stopped = await request.post('/scheduler/jobs/a/run');
    expect([stopped.status, stopped.body.error.code]).toEqual([409, 'ERR_SCHEDULER_STATE']);
  });

  it('answers 405 with Allow for a known path and another method, 404 for an unknown path', async () => {
    const { request } = await start();
    const put = await request.put('/scheduler/jobs').send({});
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    expect(put.body.error.code).toBe('ERR_METHOD_NOT_ALLOWED');
    const options = await request.options('/scheduler/jobs/x');
    expect([options.status, options.headers.allow]).toEqual([204, 'GET, HEAD, PATCH, DELETE']);
    const unknown = await request.get('/scheduler/no/such/route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ERR_NOT_FOUND');
    const badEncoding = await request.get('/scheduler/jobs/%E0%A4%A');
    expect([badEncoding.status, badEncoding.body.error.code]).toEqual([400, 'ERR_BAD_REQUEST']);
  });

  it('GET /dashboard serves the page; dashboard: false turns it off', async () => {
    const { request } = await start();
    const page = await request.get('/scheduler/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const off = await setup(version, { auth: false, dashboard: false });
    const res = await off.request.get('/scheduler/dashboard');
    expect([res.status, res.body.error.code]).toEqual([404, 'ERR_NOT_FOUND']);
    off.router.close();
    await off.scheduler.shutdown();
  });

  it('concurrent creates with one id: exactly one 201, the others 409', async () => {
    for (const started of [true, false]) {
      const { request, scheduler, router } = await setup(version, { auth: false }, { started });
      const body = { id: 'dup', task: 'greet', trigger: { type: 'interval', minutes: 1 } };
      const answers = await Promise.all(Array.from({ length: 12 }, () => request.post('/scheduler/jobs').send(body)));
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
      expect(answers.filter((res) => res.status === 409).every((res) => res.body.error.code === 'ERR_CONFLICTING_ID')).toBe(true);
      expect((await scheduler.getJobs()).map((job) => job.id)).toEqual(['dup']);
      router.close();
      if (scheduler.state !== 'stopped') await scheduler.shutdown();
    }
  });

  it("works behind the app's own express.json() body parser", async () => {
    const { scheduler } = await start();
    const lib = version.name === 'Express 4' ? express4 : express5;
    const app = version.app();
    app.use(lib.json());
    app.use('/api', version.router(scheduler, { auth: false }));
    const supertest = (await import('supertest')).default;
    const created = await supertest(app).post('/api/jobs').send({ id: 'x', task: 'greet', trigger: '@daily' });
    expect([created.status, created.headers.location]).toEqual([201, '/api/jobs/x']);
    const bodyless = await supertest(app).post('/api/jobs/x/pause');
    expect([bodyless.status, bodyless.body.paused]).toEqual([200, true]);
    const unknown = await supertest(app).post('/api/jobs').send({ task: 'greet', trigger: '@daily', extra: 1 });
    expect([unknown.status, unknown.body.error.details.field]).toEqual([400, 'extra']);
    const before = await snapshot(scheduler);
    const text = await supertest(app).post('/api/jobs').set('Content-Type', 'text/plain').send('{}');
    expect(text.status).toBe(415);
    expect(await snapshot(scheduler)).toBe(before);
  });
});
