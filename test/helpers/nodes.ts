/**
 * Several schedulers ("nodes") in one test process sharing one persistent store, on one virtual
 * clock. Store calls are real I/O, so virtual time only moves once every store call in flight
 * has ended: {@link Nodes.drive} advances in small steps and waits for the stores in between.
 *
 * @module
 */
import { Scheduler, type JobContext, type JobStore, type SchedulerOptions } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { T0, recordEvents } from './scheduler.js';

/** A store whose calls are counted while in flight. */
function watched(store: JobStore, inflight: { count: number }): JobStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        inflight.count++;
        return result.finally(() => inflight.count--);
      };
    },
  });
}

/** One node: its scheduler, its recorded events and the slots its task ran. */
export interface Node {
  readonly name: string;
  readonly scheduler: Scheduler;
  readonly events: ReturnType<typeof recordEvents>;
}

/** A run of the shared task: which job, which slot, on which node. */
export interface Ran {
  readonly jobId: string;
  readonly slot: number;
  readonly node: string;
}

/** Nodes on one clock, each with its own instance of the store. */
export class Nodes {
  readonly clock = new VirtualClock(T0);
  readonly ran: Ran[] = [];
  readonly nodes: Node[] = [];
  readonly #inflight = { count: 0 };
  /** Task bodies by name, registered on every node (`record` is always there). */
  readonly tasks: Record<string, (ctx: JobContext) => unknown> = {
    record: (ctx) => void this.ran.push({ jobId: ctx.job.id, slot: ctx.scheduledRunTime.getTime(), node: ctx.scheduler.identity }),
  };

  constructor(
    private readonly openStore: () => JobStore,
    private readonly options: SchedulerOptions = {},
  ) {}

  /** Builds (not starts) a node named `name` with a fresh store instance. */
  add(name: string, options: SchedulerOptions = {}): Node {
    const tasks = Object.fromEntries(Object.keys(this.tasks).map((key) => [key, (ctx: JobContext) => this.tasks[key]?.(ctx)]));
    const scheduler = new Scheduler({
      clock: this.clock,
      timezone: 'UTC',
      identity: name,
      stores: { default: watched(this.openStore(), this.#inflight) },
      tasks,
      ...this.options,
      ...options,
    });
    const node = { name, scheduler, events: recordEvents(scheduler) };
    this.nodes.push(node);
    return node;
  }

  /** Waits (real time) until no store call is in flight and the event loop has settled. */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await this.clock.flush();
      if (this.#inflight.count > 0) {
        quiet = 0;
        await new Promise((resolve) => setTimeout(resolve, 2));
      } else quiet++;
    }
  }

  /**
   * Advances virtual time by `ms` in steps of `stepMs`, letting the stores answer in between.
   * `drive(0)` fires the timers due now (a scheduler just started, a wakeup).
   */
  async drive(ms: number, stepMs = 100): Promise<void> {
    await this.settle();
    let done = 0;
    do {
      const step = Math.min(stepMs, ms - done);
      await this.clock.advance(step);
      await this.settle();
      done += step;
    } while (done < ms);
  }

  /** Shuts down every node still running. */
  async shutdown(): Promise<void> {
    for (const { scheduler } of this.nodes) if (scheduler.state !== 'stopped') await scheduler.shutdown({ wait: false });
  }

  /** How many runs each (job, slot) had, keyed `job@slot`. */
  runsPerSlot(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { jobId, slot } of this.ran) counts.set(`${jobId}@${slot}`, (counts.get(`${jobId}@${slot}`) ?? 0) + 1);
    return counts;
  }
}
