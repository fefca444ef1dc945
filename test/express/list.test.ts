// GET /jobs with filters and pages: ordered by id when paged, so pages never shift as jobs run.
import { afterEach, describe, expect, it } from 'vitest';
import { deferred } from '../helpers/scheduler.js';
import { setup, VERSIONS, type Setup } from './harness.js';

describe.each(VERSIONS)('GET /jobs with a query on $name', (version) => {
  let s: Setup | undefined;
  afterEach(async () => {
    s?.router.close();
    if (s && s.scheduler.state !== 'stopped') await s.scheduler.shutdown({ wait: false });
    s = undefined;
  });

  async function withJobs(ids: string[]) {
    s = await setup(version);
    for (const [index, id] of ids.entries()) {
      // Next run times in the reverse order of the ids: the paged order is not the run order.
      await s.scheduler.addJob('greet', { type: 'interval', minutes: 60 - index }, { id, name: `Job ${id.toUpperCase()}` });
    }
    return s;
  }
  const ids = (body: { jobs: { id: string }[] }) => body.jobs.map((job) => job.id);

  it('answers every job, with the total, without a query (in next-run order, as before)', async () => {
    const { request } = await withJobs(['a', 'b', 'c']);
    const res = await request.get('/scheduler/jobs');
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['c', 'b', 'a']);
    expect([res.body.total, res.body.nextCursor]).toEqual([3, null]);
  });

  it('pages by id with limit and cursor, each job once, unmoved by runs, adds and removals', async () => {
    const { request, scheduler, clock } = await withJobs(['a', 'b', 'c', 'd', 'e']);
    const first = (await request.get('/scheduler/jobs?limit=2')).body;
    expect([ids(first), first.total]).toEqual([['a', 'b'], 5]);
    await clock.advance(60 * 60_000); // every job runs; next run times move
    await scheduler.addJob('greet', '@daily', { id: 'aa' }); // sorts before the cursor: not on later pages
    await scheduler.removeJob('a');
    const second = (await request.get(`/scheduler/jobs?limit=2&cursor=${first.nextCursor}`)).body;
    expect(ids(second)).toEqual(['c', 'd']);
    const third = (await request.get(`/scheduler/jobs?limit=2&cursor=${second.nextCursor}`)).body;
    expect([ids(third), third.nextCursor]).toEqual([['e'], null]);
  });

  it('sorts by the order the caller picks: name or next run, paged with a cursor of that order', async () => {
    const { request, scheduler } = await withJobs(['a', 'b', 'c', 'd']);
    await scheduler.modifyJob('a', { name: 'zulu' });
    await scheduler.pauseJob('c'); // no next run: last by next run
    const all = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { jobs: { id: string }[]; nextCursor: string | null } = (
          await request.get(`/scheduler/jobs?limit=1&${query}${cursor ? `&cursor=${cursor}` : ''}`)
        ).body;
        seen.push(...ids(page));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await all('sort=nextRun')).toEqual(['d', 'b', 'a', 'c']);
    expect(await all('sort=name')).toEqual(['b', 'c', 'd', 'a']); // "Job B" ... "zulu"
    expect(await all('sort=id')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids((await request.get('/scheduler/jobs?sort=name')).body)).toEqual(['b', 'c', 'd', 'a']);
  });

  it('filters by state, task and a text found in the id or the name (any case)', async () => {
    const { request, scheduler, clock } = await withJobs(['alpha', 'beta', 'gamma']);
    const gate = deferred();
    scheduler.registerTask('hang', () => gate.promise);
    await scheduler.addJob('hang', { type: 'interval', minutes: 1 }, { id: 'busy' });
    await scheduler.pauseJob('beta');
    await clock.advance(60_000);
    const get = async (query: string) => ids((await request.get(`/scheduler/jobs?${query}`)).body).sort();
    expect(await get('state=paused')).toEqual(['beta']);
    expect(await get('state=running')).toEqual(['busy']);
    expect(await get('state=active')).toEqual(['alpha', 'busy', 'gamma']);
    expect(await get('task=hang')).toEqual(['busy']);
    expect(await get('q=JOB%20G')).toEqual(['gamma']); // the name "Job GAMMA"
    expect(await get('q=et&limit=10')).toEqual(['beta']);
    gate.resolve();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=two', 'limit'],
    ['cursor=YQ', 'cursor'],
    ['limit=5&cursor=not-a-cursor!', 'cursor'],
    ['state=sleeping', 'state'],
    ['sort=size', 'sort'],
    ['limit=2&sort=name&cursor=WyJpZCIsbnVsbCwiYSJd', 'cursor'], // an id-order cursor under another sort
    ['task=a&task=b', 'task'],
    ['q=', 'q'],
  ])('refuses %s with a 400 naming the parameter', async (query, field) => {
    const { request } = await withJobs(['a']);
    const res = await request.get(`/scheduler/jobs?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ERR_VALIDATION', details: { field } });
  });
});
