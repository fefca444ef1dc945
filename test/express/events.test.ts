// GET /events: Server-Sent Events of the scheduler's events, behind the same auth, with every
// listener and timer released when clients go away or the router closes.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SchedulerRouterOptions } from '../../src/express/index.js';
import { setup, VERSIONS, type Setup } from './harness.js';
import { SCHEDULER_EVENT_NAMES } from '../../src/index.js';

interface SseMessage {
  event: string;
  data: unknown;
}

/** An open event stream: parsed messages and comments as they arrive. */
class Stream {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  readonly #controller = new AbortController();
  #buffer = '';
  #waiters: (() => void)[] = [];
  ended = false;
  status = 0;
  headers = new Headers();

  static async open(url: string, headers: Record<string, string> = {}): Promise<Stream> {
    const stream = new Stream();
    const res = await fetch(url, { headers, signal: stream.#controller.signal });
    stream.status = res.status;
    stream.headers = res.headers;
    if (res.body) void stream.#pump(res.body.getReader());
    return stream;
  }

  async #pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.#buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
          const block = this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event !== undefined && data !== undefined) this.messages.push({ event, data: JSON.parse(data) });
          for (const line of lines) if (line.startsWith(':')) this.comments.push(line);
        }
        this.#notify();
      }
    } catch {
      // aborted
    }
    this.ended = true;
    this.#notify();
  }

  #notify(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Resolves once `predicate` holds (checked after every chunk). */
  async until(predicate: (stream: Stream) => boolean): Promise<void> {
    while (!predicate(this)) {
      if (this.ended) throw new Error(`stream ended; got ${JSON.stringify(this.messages.map((m) => m.event))}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

describe.each(VERSIONS)('GET /events on $name', (version) => {
  let s: Setup | undefined;
  let server: Server | undefined;
  let active = 0;
  const streams: Stream[] = [];

  /** A setup whose scheduler counts live subscriptions (taken with `on`, not yet released). */
  async function start(options: SchedulerRouterOptions = { auth: false }): Promise<{ base: string; setup: Setup }> {
    const original = (await import('../../src/index.js')).Scheduler.prototype.on;
    const spy = vi.spyOn((await import('../../src/index.js')).Scheduler.prototype, 'on');
    spy.mockImplementation(function (this: unknown, name, listener) {
      const off = original.call(this as never, name, listener);
      active++;
      let live = true;
      return () => {
        if (live) active--;
        live = false;
        off();
      };
    });
    active = 0;
    s = await setup(version, options);
    server = s.app.listen(0);
    await new Promise((resolve) => server!.once('listening', resolve));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scheduler`, setup: s };
  }
  const open = async (url: string, headers?: Record<string, string>) => {
    const stream = await Stream.open(url, headers);
    streams.push(stream);
    return stream;
  };

  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    s?.router.close();
    if (s && s.scheduler.state !== 'stopped') await s.scheduler.shutdown({ wait: false });
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    vi.restoreAllMocks();
    s = undefined;
    server = undefined;
  });

  it('starts with hello, then sends scheduler events as JSON with dates in the zone, errors without stacks', async () => {
    const { base, setup } = await start();
    const stream = await open(`${base}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toContain('no-cache');
    await stream.until((x) => x.messages.length >= 1);
    expect(stream.messages[0]).toEqual({ event: 'hello', data: expect.objectContaining({ state: 'running', jobCount: 0, timezone: 'UTC' }) });

    setup.scheduler.registerTask('big', () => 'x'.repeat(10_000));
    setup.scheduler.registerTask('bigint', () => 10n);
    await fetch(`${base}/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'g', task: 'greet', args: ['sse'], trigger: '@daily' }) });
    await setup.scheduler.addJob('fail', '@daily', { id: 'f' });
    await setup.scheduler.addJob('big', '@daily', { id: 'big' });
    await setup.scheduler.addJob('bigint', '@daily', { id: 'bigint' });
    for (const id of ['g', 'f', 'big', 'bigint']) await fetch(`${base}/jobs/${id}/run`, { method: 'POST' });
    await stream.until((x) => x.messages.filter((m) => m.event === 'job:executed' || m.event === 'job:error').length === 4);
    const byType = (type: string, jobId: string) =>
      stream.messages.find((m) => m.event === type && (m.data as { jobId?: string }).jobId === jobId)?.data as Record<string, unknown>;
    expect(byType('job:added', 'g')).toEqual({ type: 'job:added', timestamp: '2026-01-05T00:00:00.000Z', jobId: 'g', store: 'default' });
    expect(byType('job:executed', 'g')).toMatchObject({
      scheduledRunTime: '2026-01-05T00:00:00.000Z',
      scheduledRunTimes: ['2026-01-05T00:00:00.000Z'],
      returnValue: 'hello sse',
      durationMs: expect.any(Number),
    });
    expect(byType('job:error', 'f').error).toEqual({ name: 'Error', message: 'upstream unavailable' });
    expect(byType('job:executed', 'big')).not.toHaveProperty('returnValue');
    expect(byType('job:executed', 'bigint')).not.toHaveProperty('returnValue');
  });

  it('needs the same auth as every route', async () => {
    const { base } = await start({ auth: { bearer: 'tok' } });
    const refused = await open(`${base}/events`);
    expect(refused.status).toBe(401);
    const allowed = await open(`${base}/events`, { Authorization: 'Bearer tok' });
    expect(allowed.status).toBe(200);
  });

  it('releases its subscriptions and heartbeat when clients disconnect: no listener leak', async () => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    const { base, setup } = await start({ auth: false, heartbeatInterval: 0.02 });
    const baseline = active; // the run history's subscriptions
    expect(baseline).toBeGreaterThan(0);
    for (let round = 0; round < 5; round++) {
      const clients = await Promise.all([open(`${base}/events`), open(`${base}/events`), open(`${base}/events`)]);
      await Promise.all(clients.map((client) => client.until((x) => x.messages.length >= 1)));
      expect(active).toBeGreaterThan(baseline);
      const perStream = active - baseline;
      await clients[0]!.until((x) => x.comments.includes(': ping'));
      for (const client of clients) client.close();
      await vi.waitFor(() => expect(active).toBe(baseline), { timeout: 5_000, interval: 5 });
      expect(perStream).toBe(SCHEDULER_EVENT_NAMES.length); // one shared subscription per event name, not one per client
    }
    const heartbeats = intervals.mock.results.map((result) => result.value as NodeJS.Timeout);
    expect(heartbeats).toHaveLength(5);
    for (const timer of heartbeats) {
      expect(timer.hasRef()).toBe(false);
      expect(cleared).toHaveBeenCalledWith(timer);
    }
    expect(setup.scheduler.state).toBe('running');
  });

  it('HEAD /events answers the stream headers and an empty body, and opens no stream', async () => {
    const { base, setup } = await start();
    const baseline = active;
    const res = await fetch(`${base}/events`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await res.text()).toBe('');
    expect(active).toBe(baseline); // no scheduler subscription, no heartbeat: no stream was opened
    await setup.scheduler.addJob('greet', '@daily', { id: 'after-head' });
    expect(active).toBe(baseline);
  });

  it('router.close() ends open streams, releases every subscription, and refuses new streams', async () => {
    const { base, setup } = await start();
    const stream = await open(`${base}/events`);
    await stream.until((x) => x.messages.length >= 1);
    setup.router.close();
    await stream.until((x) => x.ended);
    expect(active).toBe(0);
    const res = await fetch(`${base}/events`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'ERR_CLOSED' } });
  });

  it("ends open streams with the scheduler's shutdown, its last event, so server.close() can finish", async () => {
    const { base, setup } = await start();
    const history = active; // the run history's own subscriptions stay
    const stream = await open(`${base}/events`);
    await stream.until((x) => x.messages.length >= 1);
    expect(active).toBeGreaterThan(history);
    await setup.scheduler.shutdown();
    await stream.until((x) => x.ended);
    expect(stream.messages.at(-1)?.event).toBe('scheduler:shutdown');
    expect(active).toBe(history);
    // While the scheduler is stopped, a stream says so in its hello and ends at once.
    const later = await open(`${base}/events`);
    await later.until((x) => x.ended);
    expect(later.status).toBe(200);
    expect(later.messages).toEqual([{ event: 'hello', data: expect.objectContaining({ state: 'stopped' }) }]);
    expect(active).toBe(history);
    // Started again, streams stay open.
    await setup.scheduler.start();
    const live = await open(`${base}/events`);
    await live.until((x) => x.messages.length >= 1);
    expect(live.ended).toBe(false);
  });
});
