/**
 * The worker threads of one {@link WorkerExecutor} start, on piscina. The executor keeps its own
 * queue and hands the pool at most one run per thread, so the pool only starts, replaces and
 * ends threads; this module also names what went wrong when a thread died under a run.
 *
 * @internal
 * @module
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ExecutorError } from 'timetable';
import type { ErrorData, InspectAnswer, RunAnswer, RunMessage } from './messages.js';
import type { ResolvedWorkerOptions } from './options.js';

/**
 * The code the threads run: beside this module in `src/`, and beside the bundled entry in
 * `dist/executors/` (the CommonJS build reads `import.meta.url` from its own `__filename`).
 */
const ENTRY = new URL('./worker-entry.cjs', import.meta.url).href;

/** A run in a thread, with the handles to stop it. */
export interface PoolRun {
  /** Settles when the thread answered, or rejects when it died (see {@link describeCrash}). */
  readonly answer: Promise<RunAnswer>;
  /** Posts the abort reason to the task's signal (runs with a timeout only). */
  abort(reason: ErrorData): void;
  /** Terminates the thread running it (the pool starts another). */
  kill(): void;
}

/** A started pool of `workers` threads. */
export class WorkerPool {
  readonly #pool: Piscina<InspectMessageOrRun, unknown>;

  /** @param onIdleError - told of a thread that failed while not running a task */
  constructor(options: ResolvedWorkerOptions, onIdleError: (error: unknown) => void) {
    this.#pool = new Piscina({
      filename: ENTRY,
      minThreads: options.workers,
      maxThreads: options.workers,
      // Threads live as long as the executor: starting one costs tens of milliseconds.
      idleTimeout: Infinity,
      // The executor queues runs itself; the pool never holds more than it has threads.
      maxQueue: Infinity,
      // With atomics a thread waits for the next task synchronously, so a timer a task left
      // behind would fire inside the next run, or never; message passing keeps each turn clean.
      atomics: 'disabled',
      recordTiming: false,
      workerHistogram: false,
      workerData: { niceness: options.niceness },
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      ...(options.execArgv === undefined ? {} : { execArgv: options.execArgv }),
    });
    // Without a listener, a thread that throws while idle (a timer a task left behind) would
    // crash the whole process through the pool's 'error' event.
    this.#pool.on('error', onIdleError);
  }

  /** The task names the module exports, or why it did not load. */
  inspect(url: string): Promise<InspectAnswer> {
    return this.#pool.run({ kind: 'inspect', url }) as Promise<InspectAnswer>;
  }

  /**
   * Starts one run. `withTimeout` opens a channel for the timeout's abort and arms the means to
   * terminate its thread; runs without a timeout need neither (a shutdown ends every thread).
   */
  run(message: Omit<RunMessage, 'port'>, withTimeout: boolean): PoolRun {
    if (!withTimeout) {
      return { answer: this.#pool.run({ ...message, port: undefined }) as Promise<RunAnswer>, abort: () => undefined, kill: () => undefined };
    }
    const kill = new AbortController();
    const channel = new MessageChannel();
    const answer = this.#pool.run({ ...message, port: channel.port2 }, { signal: kill.signal, transferList: [channel.port2] });
    return {
      answer: answer.finally(() => channel.port1.close()) as Promise<RunAnswer>,
      abort: (reason) => channel.port1.postMessage(reason),
      kill: () => kill.abort(),
    };
  }

  /** Ends every thread (a run in one is rejected). */
  async destroy(): Promise<void> {
    await this.#pool.destroy();
  }
}

type InspectMessageOrRun = { kind: 'inspect'; url: string } | RunMessage;

/**
 * The error a run is reported with when its thread died: an {@link ExecutorError} saying why,
 * with the pool's error as `cause`.
 */
export function describeCrash(alias: string, jobId: string, error: unknown): ExecutorError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const code = (cause as { code?: unknown }).code;
  const job = `job ${JSON.stringify(jobId)}`;
  const where = `executor ${JSON.stringify(alias)}`;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new ExecutorError(`${where}: the worker thread running ${job} ran out of memory (resourceLimits) and was replaced`, { cause });
  }
  const exited = /exited with code: (-?\d+)/.exec(cause.message);
  if (exited !== null) {
    return new ExecutorError(`${where}: the worker thread running ${job} exited with code ${exited[1]} and was replaced`, { cause });
  }
  return new ExecutorError(
    `${where}: the worker thread running ${job} failed outside the task (${cause.name}: ${cause.message}) and was replaced`,
    { cause },
  );
}

/** Why the threads could not start or the module did not load, in words. */
export function describeStartError(cause: unknown): string {
  if ((cause as { code?: unknown })?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return 'a worker thread ran out of memory while loading it (are resourceLimits too low?)';
  }
  return cause instanceof Error ? cause.message : String(cause);
}
