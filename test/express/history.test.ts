// Run history: outcomes from scheduler events, newest first, bounded, dropped with the job.
import { afterEach, describe, expect, it } from 'vitest';
import { RunHistory } from '../../src/express/history.js';
import type { RunRecord } from '../../src/express/index.js';
import { deferred, makeScheduler } from '../helpers/scheduler.js';
import { setup, VERSIONS, type Setup } from './harness.js';

describe.each(VERSIONS)('run history on $name', (version) => {
  let s: Setup | undefined;
  afterEach(async () => {
    s?.router.close();
    if (s && s.scheduler.state !== 'stopped') await s.scheduler.shutdown({ wait: false });
    s = undefined;
  });

  it('records ok and error outcomes, newest first, with lastOutcome on the list', async () => {
    s = await setup(version, { auth: false }, { scheduler: { timezone: 'Europe/Helsinki' } });
    const { request, scheduler, clock } = s;
    await scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'ok' });
    await scheduler.addJob('fail', { type: 'interval', minutes: 1 }, { id: 'bad' });
    await clock.advance(60_000);
    await clock.advance(60_000);
    const ok = (await request.get('/scheduler/jobs/ok')).body.history as RunRecord[];
    expect(ok).toEqual([
      { scheduledRunTime: '2026-01-05T02:02:00.000+02:00', startedAt: expect.any(String), finishedAt: expect.any(String), durationMs: expect.any(Number), status: 'ok' },
      { scheduledRunTime: '2026-01-05T02:01:00.000+02:00', startedAt: expect.any(String), finishedAt: expect.any(String), durationMs: expect.any(Number), status: 'ok' },
    ]);
    expect(ok[0]!.finishedAt).toBe('2026-01-05T02:02:00.000+02:00'); // virtual time does not move during a run
    const bad = (await request.get('/scheduler/jobs/bad')).body;
    expect(bad.history).toHaveLength(2);
    expect(bad.lastOutcome).toMatchObject({ status: 'error', error: 'upstream unavailable' });
    const list = (await request.get('/scheduler/jobs')).body.jobs as { id: string; lastOutcome: RunRecord }[];
    expect(Object.fromEntries(list.map((job) => [job.id, job.lastOutcome.status]))).toEqual({ ok: 'ok', bad: 'error' });
  });

  it('records missed slots and runs skipped at maxInstances', async () => {
    const release = deferred();
    s = await setup(version, { auth: false });
    const { request, scheduler, clock } = s;
    scheduler.registerTask('slow', () => release.promise);
    await scheduler.addJob('slow', { type: 'interval', minutes: 1 }, { id: 'slow' });
    await scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'late', misfireGraceTime: 1, coalesce: 'all' });
    await clock.advance(60_000); // slow starts and hangs; late runs
    scheduler.pause();
    await clock.advance(150_000); // late's 2 slots pass while paused
    scheduler.resume();
    await clock.advance(0);
    const slow = (await request.get('/scheduler/jobs/slow')).body.history as RunRecord[];
    expect(slow.map((record) => record.status)).toContain('skipped');
    expect(slow.every((record) => record.startedAt === null && record.durationMs === null)).toBe(true);
    const late = (await request.get('/scheduler/jobs/late')).body.history as RunRecord[];
    expect(late.filter((record) => record.status === 'missed').map((record) => record.scheduledRunTime)).toEqual([
      '2026-01-05T00:03:00.000Z',
      '2026-01-05T00:02:00.000Z',
    ]);
    release.resolve();
    await new Promise((resolve) => scheduler.once('job:executed', resolve));
    expect((await request.get('/scheduler/jobs/slow')).body.lastOutcome).toMatchObject({ status: 'ok', scheduledRunTime: '2026-01-05T00:01:00.000Z' });
  });

  it('shows runs in flight on the job (after a reload too), and a Run now refused at maxInstances does not hide the last real outcome', async () => {
    const release = deferred();
    s = await setup(version, { auth: false, historySize: 0 });
    const { request, scheduler, clock } = s;
    let calls = 0;
    scheduler.registerTask('slow', () => (++calls === 1 ? undefined : release.promise));
    await scheduler.addJob('slow', { type: 'interval', minutes: 1 }, { id: 'slow' });
    await clock.advance(60_000); // the first run ends at once
    await clock.advance(60_000); // the second hangs
    const running = (await request.get('/scheduler/jobs/slow')).body;
    expect(running.running).toEqual([{ scheduledRunTime: '2026-01-05T00:02:00.000Z', since: '2026-01-05T00:02:00.000Z' }]);
    expect((await request.get('/scheduler/jobs')).body.jobs[0].running).toHaveLength(1);
    const refused = await request.post('/scheduler/jobs/slow/run');
    expect(refused.status).toBe(409);
    release.resolve();
    await new Promise((resolve) => scheduler.once('job:executed', resolve));
    const done = (await request.get('/scheduler/jobs/slow')).body;
    expect(done.running).toEqual([]);
  });

  it('keeps the last real outcome as lastOutcome when newer slots were skipped at maxInstances', async () => {
    const release = deferred();
    s = await setup(version, { auth: false });
    const { request, scheduler, clock } = s;
    let calls = 0;
    scheduler.registerTask('slow', () => (++calls === 1 ? undefined : release.promise));
    await scheduler.addJob('slow', { type: 'interval', minutes: 1 }, { id: 'slow' });
    await clock.advance(60_000); // ok
    await clock.advance(60_000); // hangs
    expect((await request.post('/scheduler/jobs/slow/run')).status).toBe(409); // skipped
    const job = (await request.get('/scheduler/jobs/slow')).body;
    expect(job.history.map((record: RunRecord) => record.status)).toEqual(['skipped', 'ok']);
    expect(job.lastOutcome).toMatchObject({ status: 'ok', scheduledRunTime: '2026-01-05T00:01:00.000Z' });
    release.resolve();
  });

  it('keeps historySize records; 0 keeps none', async () => {
    s = await setup(version, { auth: false, historySize: 3 });
    await s.scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'a' });
    for (let i = 0; i < 5; i++) await s.clock.advance(60_000);
    const history = (await s.request.get('/scheduler/jobs/a')).body.history as RunRecord[];
    expect(history.map((record) => record.scheduledRunTime)).toEqual([
      '2026-01-05T00:05:00.000Z',
      '2026-01-05T00:04:00.000Z',
      '2026-01-05T00:03:00.000Z',
    ]);
    const none = await setup(version, { auth: false, historySize: 0 });
    await none.scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'a' });
    await none.clock.advance(60_000);
    expect((await none.request.get('/scheduler/jobs/a')).body).toMatchObject({ history: [], lastOutcome: null });
    await none.scheduler.shutdown();
  });

  it('drops the history of a removed job, also for a run that ends after the removal', async () => {
    const release = deferred();
    s = await setup(version, { auth: false });
    const { request, scheduler, clock } = s;
    scheduler.registerTask('slow', () => release.promise);
    await scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'a' });
    await clock.advance(60_000);
    expect((await request.get('/scheduler/jobs/a')).body.history).toHaveLength(1);
    expect((await request.delete('/scheduler/jobs/a')).status).toBe(204);
    await scheduler.addJob('slow', { type: 'interval', hours: 1 }, { id: 'a' });
    expect((await request.get('/scheduler/jobs/a')).body.history).toEqual([]);
    await scheduler.runJob('a');
    expect((await request.delete('/scheduler/jobs/a')).status).toBe(204);
    const executed = new Promise((resolve) => scheduler.once('job:executed', resolve));
    release.resolve();
    await executed; // the outcome of the removed job arrives now
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a' });
    expect((await request.get('/scheduler/jobs/a')).body.history).toEqual([]);
  });

  it('stops recording after router.close()', async () => {
    s = await setup(version, { auth: false });
    await s.scheduler.addJob('greet', { type: 'interval', minutes: 1 }, { id: 'a' });
    await s.clock.advance(60_000);
    s.router.close();
    await s.clock.advance(60_000);
    expect((await s.request.get('/scheduler/jobs/a')).body.history).toHaveLength(1);
  });
});

describe('RunHistory', () => {
  it('forgets an outcome that arrives for a job it never saw removed, once the job is found gone', async () => {
    const { scheduler, clock } = makeScheduler({ tasks: { slow: () => gate.promise } });
    const gate = deferred();
    await scheduler.addJob('slow', { type: 'interval', minutes: 1 }, { id: 'a' });
    await scheduler.start();
    await clock.advance(60_000);
    // A history made after the run started: it never saw the job (nor its clearing) before.
    const history = new RunHistory(scheduler, 5);
    await scheduler.removeAllJobs(); // no per-job removal event
    const executed = new Promise((resolve) => scheduler.once('job:executed', resolve));
    gate.resolve();
    await executed;
    expect(history.jobCount).toBe(1);
    await scheduler.getJobs(); // lets the existence check settle
    await new Promise((resolve) => setImmediate(resolve));
    expect(history.jobCount).toBe(0);
    history.close();
    await scheduler.shutdown();
  });
});
