/**
 * Run requests and executor contexts for executor tests, without a scheduler.
 */
import { vi } from 'vitest';
import type { ExecutorContext, RunRequest } from '../../src/executors/executor.js';
import type { JobRecord } from '../../src/stores/job-store.js';
import type { VirtualClock } from '../../src/testing/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A stored job as a run request carries it. */
export function jobRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'job-1',
    name: 'job-1',
    task: 'task',
    inlineTask: false,
    args: [],
    trigger: { type: 'interval', seconds: 10 },
    executor: 'default',
    misfireGraceTime: 1,
    coalesce: 'latest',
    maxInstances: 1,
    jitter: null,
    timeout: null,
    nextRunTime: new Date(T0).toISOString(),
    metadata: {},
    version: 1,
    ...overrides,
  };
}

/** A request whose abort drives a real AbortController, so tests can read the signal. */
export function runRequest(
  call: (signal: AbortSignal) => unknown,
  overrides: Partial<RunRequest> = {},
): { req: RunRequest; signal: AbortSignal } {
  const controller = new AbortController();
  const record = jobRecord({ id: overrides.jobId ?? 'job-1', task: overrides.task ?? 'task', args: [...(overrides.args ?? [])] });
  const req: RunRequest = {
    jobId: record.id,
    task: record.task,
    args: record.args,
    record,
    store: 'default',
    scheduledRunTime: T0,
    call: () => call(controller.signal),
    abort: (reason) => controller.abort(reason),
    deadline: null,
    timeoutMs: null,
    ...overrides,
  };
  return { req, signal: controller.signal };
}

/** What a scheduler hands an executor at start, with the log as a spy. */
export function executorContext(clock: VirtualClock, alias = 'default') {
  const log = vi.fn<ExecutorContext['log']>();
  return { alias, clock, log } satisfies ExecutorContext;
}
