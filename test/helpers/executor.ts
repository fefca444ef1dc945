/**
 * Run requests and executor contexts for executor tests, without a scheduler.
 */
import { vi } from 'vitest';
import type { ExecutorContext, RunRequest } from '../../src/executors/executor.js';
import { makeRecord } from '../contracts/job-store.contract.js';
import type { VirtualClock } from '../../src/testing/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A request whose abort drives a real AbortController, so tests can read the signal. */
export function runRequest(
  call: (signal: AbortSignal) => unknown,
  overrides: Partial<RunRequest> = {},
): { req: RunRequest; signal: AbortSignal } {
  const controller = new AbortController();
  const record = makeRecord({
    id: overrides.jobId ?? 'job-1',
    task: overrides.task ?? 'task',
    args: [...(overrides.args ?? [])],
    trigger: { type: 'interval', seconds: 10 },
    misfireGraceTime: 1,
    nextRunTime: new Date(T0).toISOString(),
  });
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
