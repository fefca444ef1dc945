/**
 * Types that catch mistakes: a built-in trigger spec is checked field by field, and a task known
 * to the scheduler's type checks the `args` of its jobs. Each `@ts-expect-error` below fails the
 * type check (`npm run typecheck`, part of `npm test`) if the mistake it marks stops being one;
 * the runtime half shows the scheduler refuses the same mistakes when they come from JSON.
 */
import { describe, expect, it } from 'vitest';
import { InvalidTriggerError, Scheduler, type JobContext, type TaskArgs, type TriggerSpec } from '../../src/index.js';
import { makeScheduler } from '../helpers/scheduler.js';

const send = (to: string, times: number, context: JobContext): string => `${to}${times}${context.job.id}`;

/** Compile-time checks only: never called. */
function compileTimeChecks(scheduler: Scheduler): void {
  // @ts-expect-error a misspelt interval unit
  void scheduler.addJob('x', { type: 'interval', minuts: 5 });
  // @ts-expect-error a cron field of the wrong name
  void scheduler.addJob('x', { type: 'cron', dayOfTheWeek: 'mon' });
  // @ts-expect-error a date trigger needs its runDate
  void scheduler.addJob('x', { type: 'date' });
  // @ts-expect-error a misspelt option inside a child of an `or`
  void scheduler.addJob('x', { type: 'or', triggers: [{ type: 'interval', secs: 1 }] });
  // @ts-expect-error an unknown type
  void scheduler.addJob('x', { type: 'intervall', minutes: 5 });
  const ok: TriggerSpec[] = [
    { type: 'interval', minutes: 5, startDate: '2026-01-01T00:00:00Z', jitter: 3 },
    { type: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
    { type: 'cron', hour: '9-17', dayOfWeek: 'mon-fri' },
    { type: 'calendarinterval', months: 1, hour: 9 },
    { type: 'date', runDate: Date.UTC(2030, 0, 1) },
    { type: 'and', triggers: [{ type: 'cron', hour: 9 }, { type: 'interval', days: 2 }], threshold: 60 },
  ];
  void ok;

  const typed = new Scheduler({ tasks: { send } });
  void typed.addJob('send', '@daily', { args: ['ops@example.com', 3] });
  // @ts-expect-error args of the wrong type for a task the scheduler's type knows
  void typed.addJob('send', '@daily', { args: ['ops@example.com', 'three'] });
  // @ts-expect-error a missing argument
  void typed.addJob('send', '@daily', { args: ['ops@example.com'] });
  // A name the type does not know (registered later, or run by a worker executor): JSON args.
  void typed.addJob('elsewhere', '@daily', { args: [1, 'a', { b: null }] });

  const chained = new Scheduler().registerTask('send', send);
  // @ts-expect-error registerTask, chained, carries the task's types too
  void chained.addJob('send', '@daily', { args: [1, 2] });
  // A function task: its own parameters before the context.
  void chained.addJob((n: number, context: JobContext) => n + context.job.id.length, '@daily', { args: [1] });
  // @ts-expect-error
  void chained.addJob((n: number, context: JobContext) => n + context.job.id.length, '@daily', { args: ['1'] });
  // A function declaring only the context, or untyped parameters, is not checked.
  void chained.addJob((context: JobContext) => context.job.id, '@daily', { args: [1] });
  // A typed scheduler is still a Scheduler (for the Express router and helpers).
  const plain: Scheduler = typed;
  void plain;
  const args: TaskArgs<typeof send> = ['a', 1];
  void args;
}

describe('typed API', () => {
  it('is checked by the compiler (see the @ts-expect-error lines), and refuses the same mistakes from JSON at run time', async () => {
    expect(typeof compileTimeChecks).toBe('function');
    const { scheduler } = makeScheduler();
    scheduler.registerTask('x', () => undefined);
    const fromJson = JSON.parse('{ "type": "interval", "minuts": 5 }') as TriggerSpec;
    const refused = await scheduler.addJob('x', fromJson).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidTriggerError);
    expect(refused).toMatchObject({ field: 'interval.minuts' });
  });

  it('runs a typed task with its args before the context', async () => {
    const { scheduler, clock } = makeScheduler();
    const seen: string[] = [];
    const typed = scheduler.registerTask('send', (to: string, times: number, context: JobContext) => void seen.push(`${to}x${times}@${context.job.id}`));
    await typed.addJob('send', { type: 'interval', seconds: 1 }, { id: 'j', args: ['ops', 2] });
    await typed.start();
    await clock.advance(1000);
    await typed.shutdown();
    expect(seen).toEqual(['opsx2@j']);
  });
});
