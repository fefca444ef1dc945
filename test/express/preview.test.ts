// GET /preview: what a trigger would do before a job is made of it; a job's next five fire times.
import { afterEach, describe, expect, it } from 'vitest';
import { setup, VERSIONS, type Setup } from './harness.js';

describe.each(VERSIONS)('previews on $name', (version) => {
  let s: Setup | undefined;
  afterEach(async () => {
    s?.router.close();
    if (s && s.scheduler.state !== 'stopped') await s.scheduler.shutdown({ wait: false });
    s = undefined;
  });

  it('answers the next five fire times of a crontab string, in the scheduler zone, and its description', async () => {
    s = await setup(version, { auth: false }, { scheduler: { timezone: 'Europe/Berlin' } });
    const res = await s.request.get('/scheduler/preview').query({ trigger: '30 9 * * 1-5' });
    expect(res.status).toBe(200);
    expect(res.body.trigger.spec).toMatchObject({ type: 'cron', expression: '30 9 * * 1-5', timezone: 'Europe/Berlin' });
    // From the wall clock's now (a preview is for a person): weekdays at 09:30 Berlin time.
    const upcoming = res.body.upcoming as string[];
    expect(upcoming).toHaveLength(5);
    for (const time of upcoming) expect(time).toMatch(/T09:30:00\.000\+0[12]:00$/);
    const days = upcoming.map((time) => new Date(time).getUTCDay());
    expect(days.every((day) => day >= 1 && day <= 5)).toBe(true);
    expect(Date.parse(upcoming[0] as string)).toBeGreaterThan(Date.now() - 1000);
    expect([...upcoming].sort()).toEqual(upcoming);
    expect(await s.scheduler.getJobs()).toEqual([]); // nothing was added
  });

  it('takes a JSON spec as text, and is open to read-only routers', async () => {
    s = await setup(version, { auth: false, readOnly: true });
    const res = await s.request.get('/scheduler/preview').query({ trigger: JSON.stringify({ type: 'interval', minutes: 30 }) });
    expect(res.status).toBe(200);
    expect(res.body.upcoming).toHaveLength(5);
    const times = (res.body.upcoming as string[]).map((time) => Date.parse(time));
    expect(times.slice(1).map((time, index) => time - (times[index] as number))).toEqual([1_800_000, 1_800_000, 1_800_000, 1_800_000]);
  });

  it.each([
    ['61 * * * *', 'minute "61": 61 is outside 0-59'],
    ['{"type":"interval","minutes":-1}', 'interval'],
    ['{not json', 'a spec must be a JSON object'],
  ])('refuses %s with a 400 naming the trigger', async (trigger, words) => {
    s = await setup(version);
    const res = await s.request.get('/scheduler/preview').query({ trigger });
    expect(res.status).toBe(400);
    expect(res.body.error.details.field).toMatch(/^trigger/);
    expect(res.body.error.message).toContain(words);
  });

  it('refuses a missing trigger and an unknown parameter', async () => {
    s = await setup(version);
    expect((await s.request.get('/scheduler/preview')).body.error.details.field).toBe('trigger');
    expect((await s.request.get('/scheduler/preview').query({ trigger: '@daily', count: 9 })).body.error.details.field).toBe('count');
  });

  it("shows a job's next five runs in its details, none while it is paused", async () => {
    s = await setup(version);
    await s.scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'a' });
    const job = (await s.request.get('/scheduler/jobs/a')).body;
    expect(job.upcoming).toHaveLength(5);
    expect(job.upcoming[0]).toBe(job.nextRunTime);
    await s.scheduler.pauseJob('a');
    expect((await s.request.get('/scheduler/jobs/a')).body.upcoming).toEqual([]);
    expect((await s.request.get('/scheduler/jobs')).body.jobs[0].upcoming).toBeUndefined(); // not in the list
  });
});
