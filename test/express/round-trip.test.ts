// PATCH /jobs/:id takes back what GET /jobs/:id gave: read, change a field, send the whole JSON.
import { afterEach, describe, expect, it } from 'vitest';
import { setup, VERSIONS, type Setup } from './harness.js';

describe.each(VERSIONS)('GET then PATCH the same job on $name', (version) => {
  let current: Setup | undefined;
  afterEach(async () => {
    current?.router.close();
    if (current && current.scheduler.state !== 'stopped') await current.scheduler.shutdown({ wait: false });
    current = undefined;
  });

  async function withJob(options: Record<string, unknown> = {}) {
    current = await setup(version);
    await current.scheduler.addJob('greet', { type: 'interval', minutes: 5 }, { id: 'a', args: ['x'], ...options });
    const read = await current.request.get('/scheduler/jobs/a');
    expect(read.status).toBe(200);
    return { request: current.request, scheduler: current.scheduler, clock: current.clock, job: read.body as Record<string, unknown> };
  }

  it('accepts the job as GET returned it, and changes nothing', async () => {
    const { request, scheduler, job } = await withJob();
    const before = await scheduler.getJob('a');
    const res = await request.patch('/scheduler/jobs/a').send(job);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(job);
    const after = await scheduler.getJob('a');
    expect(after?.nextRunTime).toEqual(before?.nextRunTime);
    expect(after?.trigger.toJSON()).toEqual(before?.trigger.toJSON());
  });

  it('applies the one field that was changed', async () => {
    const { request, scheduler, job } = await withJob();
    const res = await request.patch('/scheduler/jobs/a').send({ ...job, name: 'renamed', maxInstances: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'renamed', maxInstances: 2, nextRunTime: job['nextRunTime'] });
    expect((await scheduler.getJob('a'))?.name).toBe('renamed');
  });

  it('takes the trigger as GET shows it ({ spec, description }), as a bare spec, or as a crontab string', async () => {
    const { request, scheduler, job } = await withJob();
    const shown = job['trigger'] as { spec: Record<string, unknown>; description: string };
    const hourly = await request.patch('/scheduler/jobs/a').send({ ...job, trigger: { ...shown, spec: { ...shown.spec, minutes: 60 } } });
    expect([hourly.status, hourly.body.trigger.spec.minutes]).toEqual([200, 60]);
    const bare = await request.patch('/scheduler/jobs/a').send({ trigger: { type: 'interval', minutes: 30 } });
    expect([bare.status, bare.body.trigger.spec.minutes]).toEqual([200, 30]);
    const crontab = await request.patch('/scheduler/jobs/a').send({ trigger: '0 12 * * *' });
    expect([crontab.status, crontab.body.trigger.spec.type]).toEqual([200, 'cron']);
    expect((await scheduler.getJob('a'))?.trigger.toJSON()).toMatchObject({ type: 'cron', expression: '0 12 * * *' });
  });

  it('refuses changed read-only fields in one 400 that names all of them, and changes nothing', async () => {
    const { request, scheduler, job } = await withJob();
    const res = await request
      .patch('/scheduler/jobs/a')
      .send({ ...job, id: 'b', paused: true, pending: true, store: 'other', name: 'renamed' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ERR_VALIDATION', details: { field: 'id', fields: ['id', 'paused', 'pending', 'store'] } });
    for (const field of ['id', 'paused', 'pending', 'store']) expect(res.body.error.message).toContain(field);
    expect((await scheduler.getJob('a'))?.name).toBe('greet');
  });

  it('round-trips a paused job (nextRunTime null) and keeps it paused', async () => {
    const { request, scheduler, job } = await withJob({ paused: true });
    expect(job['nextRunTime']).toBeNull();
    const res = await request.patch('/scheduler/jobs/a').send({ ...job, name: 'still paused' });
    expect(res.status).toBe(200);
    expect((await scheduler.getJob('a'))?.paused).toBe(true);
  });

  it('ignores the run reports (lastOutcome, history), which change with every run', async () => {
    const { request, job } = await withJob();
    const res = await request
      .patch('/scheduler/jobs/a')
      .send({ ...job, lastOutcome: { status: 'success' }, history: [{ status: 'error' }] });
    expect(res.status).toBe(200);
  });

  it('still refuses an unknown field, naming it', async () => {
    const { request, job } = await withJob();
    const res = await request.patch('/scheduler/jobs/a').send({ ...job, colour: 'red' });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'colour']);
  });
});
