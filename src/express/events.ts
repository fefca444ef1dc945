/**
 * `GET /events`: the scheduler's events as Server-Sent Events. One subscription to the scheduler
 * is shared by every open stream, taken with the first and released with the last; one heartbeat
 * timer (unref'd) writes `: ping` comments while any stream is open.
 *
 * Streams live only while the scheduler runs: `scheduler:shutdown` is their last event, and a
 * stream asked for while the scheduler is stopped gets its `hello` and ends. An open stream would
 * otherwise keep `server.close()` waiting, and the process alive, after a graceful shutdown.
 *
 * @internal
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCHEDULER_EVENT_NAMES } from 'timetable';
import type { Scheduler, SchedulerEventMap, SchedulerEventName } from '../index.js';
import { HttpError } from './errors.js';
import { boundedJson, errorMessage, isoIn, type SchedulerInfo } from './serialize.js';

/** Largest `returnValue` (as JSON) sent with `job:executed`; larger ones are left out. */
const MAX_RETURN_VALUE = 4096;
/** A client that lets this much pile up unread is disconnected. */
const MAX_BUFFERED = 1024 * 1024;

/** The response headers of a stream (and of `HEAD /events`). */
const STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
  'X-Content-Type-Options': 'nosniff',
};

/** An error as event data: never its stack. */
function errorJson(error: unknown): { name: string; message: string; code?: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const json: { name: string; message: string; code?: string } = {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: errorMessage(error),
  };
  if (typeof e.code === 'string') json.code = e.code;
  return json;
}

/** An event as JSON: dates in the scheduler's zone, errors without stacks, small return values only. */
export function eventJson(zone: string, event: SchedulerEventMap[SchedulerEventName]): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (value instanceof Date) json[key] = isoIn(zone, value);
    else if (Array.isArray(value) && value.every((item) => item instanceof Date)) {
      json[key] = value.map((date: Date) => isoIn(zone, date));
    } else if (key === 'error') json[key] = errorJson(value);
    else if (key === 'returnValue') {
      // Left out when large or not JSON (a cycle, a BigInt).
      const copy = boundedJson(value, MAX_RETURN_VALUE);
      if (copy !== undefined) json[key] = copy;
    } else json[key] = value;
  }
  return json;
}

/** The open event streams of one router. */
export class EventStreams {
  readonly #scheduler: Scheduler;
  readonly #heartbeatMs: number;
  readonly #clients = new Set<ServerResponse>();
  #unsubscribe: (() => void)[] = [];
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(scheduler: Scheduler, heartbeatMs: number) {
    this.#scheduler = scheduler;
    this.#heartbeatMs = heartbeatMs;
  }

  /** Open streams (for tests and diagnostics). */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Whether the scheduler subscription or the heartbeat timer are held (for tests). */
  get active(): boolean {
    return this.#unsubscribe.length > 0 || this.#heartbeat !== undefined;
  }

  /**
   * Starts a stream on `res`: headers, a `hello` event with the info, then every event. A `HEAD`
   * request gets the headers of a stream and an empty body: no stream is opened, nothing is held.
   */
  async open(req: IncomingMessage, res: ServerResponse, info: () => Promise<SchedulerInfo>): Promise<void> {
    if (this.#closed) throw new HttpError(503, 'ERR_CLOSED', 'This scheduler router has been closed');
    if (req.method === 'HEAD') {
      res.writeHead(200, STREAM_HEADERS);
      res.end();
      return;
    }
    const hello = await info();
    if (req.destroyed || res.destroyed || this.#closed) return;
    res.writeHead(200, STREAM_HEADERS);
    res.write(`retry: 3000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    if (this.#scheduler.state === 'stopped') {
      res.end();
      return;
    }
    this.#clients.add(res);
    const drop = (): void => this.#drop(res);
    res.once('close', drop);
    req.once('close', drop);
    if (this.#clients.size === 1) this.#start();
  }

  /** Ends every stream and releases the subscription and the timer; later opens answer 503. */
  close(): void {
    this.#closed = true;
    this.#endAll();
  }

  #endAll(): void {
    for (const res of [...this.#clients]) {
      this.#drop(res);
      res.end();
    }
  }

  #start(): void {
    for (const name of SCHEDULER_EVENT_NAMES) {
      this.#unsubscribe.push(this.#scheduler.on(name, (event) => this.#broadcast(event)));
    }
    this.#heartbeat = setInterval(() => this.#write(': ping\n\n'), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  #stop(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #drop(res: ServerResponse): void {
    if (!this.#clients.delete(res)) return;
    if (this.#clients.size === 0) this.#stop();
  }

  #broadcast(event: SchedulerEventMap[SchedulerEventName]): void {
    const data = JSON.stringify(eventJson(this.#scheduler.timezone, event));
    this.#write(`event: ${event.type}\ndata: ${data}\n\n`);
    if (event.type === 'scheduler:shutdown') this.#endAll();
  }

  #write(chunk: string): void {
    for (const res of [...this.#clients]) {
      if (res.writableLength > MAX_BUFFERED) {
        this.#drop(res);
        res.destroy();
        continue;
      }
      res.write(chunk);
    }
  }
}
