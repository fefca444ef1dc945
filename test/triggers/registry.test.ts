import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TriggerRegistry, triggerFromJSON } from '../../src/triggers/registry.js';
import { DateTrigger } from '../../src/triggers/date.js';
import { IntervalTrigger } from '../../src/triggers/interval.js';
import { InvalidArgumentError, InvalidTriggerError } from '../../src/errors.js';
import type { AnyTriggerSpec } from '../../src/triggers/specs.js';
import type { Trigger, TriggerDefaults } from '../../src/triggers/trigger.js';
import { triggerContract } from '../contracts/trigger.contract.js';
import { thrown } from '../helpers/thrown.js';

const HOUR = 3_600_000;

/** A custom trigger: every hour at minute `minute` (the example of the Trigger docs). */
function everyHourAt(minute: number): Trigger {
  return {
    getNextFireTime(previous, now) {
      const from = previous ? previous.getTime() + 1 : now.getTime();
      let t = Math.floor(from / HOUR) * HOUR + minute * 60_000;
      if (t < from) t += HOUR;
      return new Date(t);
    },
    toJSON: () => ({ type: 'hourly-at', minute }),
    toString: () => `hourly-at[${minute}]`,
  };
}

function withHourlyAt(): TriggerRegistry {
  const registry = new TriggerRegistry();
  registry.register('hourly-at', (spec) => everyHourAt(spec.minute as number));
  return registry;
}

describe('TriggerRegistry', () => {
  it('starts with the built-in types', () => {
    const registry = new TriggerRegistry();
    expect(registry.types()).toEqual(['date', 'interval', 'cron', 'calendarinterval', 'and', 'or']);
    expect(registry.has('date')).toBe(true);
    expect(registry.has('interval')).toBe(true);
    expect(registry.has('weekly')).toBe(false);
  });

  it('builds the built-ins from JSON', () => {
    const registry = new TriggerRegistry();
    const date = registry.fromJSON({ type: 'date', runDate: '2026-12-24T17:00:00.000Z' });
    expect(date).toBeInstanceOf(DateTrigger);
    expect(date.getNextFireTime(null, new Date(0))?.getTime()).toBe(Date.UTC(2026, 11, 24, 17));
    const interval = registry.fromJSON({ type: 'interval', minutes: 5 });
    expect(interval).toBeInstanceOf(IntervalTrigger);
    expect(interval.getNextFireTime(null, new Date(0))?.getTime()).toBe(5 * 60_000);
  });

  it('gives specs without a timezone the default zone, which toJSON then reports', () => {
    const registry = new TriggerRegistry();
    const spec = { type: 'interval', hours: 1, startDate: '2026-03-01T18:00' };
    const tokyo = registry.fromJSON(spec, { timezone: 'Asia/Tokyo' });
    expect(tokyo.toJSON().timezone).toBe('Asia/Tokyo');
    expect(tokyo.getNextFireTime(null, new Date(0))?.getTime()).toBe(Date.UTC(2026, 2, 1, 9)); // JST +9
    const own = registry.fromJSON({ ...spec, timezone: 'UTC' }, { timezone: 'Asia/Tokyo' });
    expect(own.toJSON().timezone).toBe('UTC');
    expect(registry.fromJSON({ type: 'interval', hours: 1 }).toJSON()).toStrictEqual({ type: 'interval', hours: 1 });
  });

  it('accepts a spec without a prototype', () => {
    const spec = Object.assign(Object.create(null) as Record<string, unknown>, { type: 'interval', seconds: 1 });
    expect(new TriggerRegistry().fromJSON(spec).toJSON()).toStrictEqual({ type: 'interval', seconds: 1 });
  });

  describe('rejects bad specs with InvalidTriggerError', () => {
    const registry = new TriggerRegistry();
    const cases: [string, unknown, string][] = [
      ['null', null, 'trigger'],
      ['a string', 'interval', 'trigger'],
      ['an array', [{ type: 'interval' }], 'trigger'],
      ['a Date', new Date(), 'trigger'],
      ['a class instance', new (class Spec { type = 'interval'; hours = 1 })(), 'trigger'],
      ['no type', { hours: 1 }, 'type'],
      ['a numeric type', { type: 5 }, 'type'],
      ['an unknown type', { type: 'weekly', hour: '9' }, 'type'],
      ['type __proto__', { type: '__proto__' }, 'type'],
      ['type constructor', { type: 'constructor' }, 'type'],
      ['type toString', { type: 'toString' }, 'type'],
      ['type hasOwnProperty', { type: 'hasOwnProperty' }, 'type'],
      ['an unknown interval key', { type: 'interval', hours: 1, foo: 2 }, 'interval.foo'],
      ['an unknown date key', { type: 'date', runDate: 0, foo: 2 }, 'date.foo'],
      ['a zero interval', { type: 'interval', hours: 0 }, 'interval'],
      ['a bad zone', { type: 'interval', hours: 1, timezone: 'Nowhere/City' }, 'interval.timezone'],
      ['an impossible date', { type: 'date', runDate: '2024-02-30' }, 'date.runDate'],
      ['a NaN unit', { type: 'interval', hours: Number.NaN }, 'interval.hours'],
    ];
    for (const [name, spec, field] of cases) {
      it(name, () => {
        const error = thrown(() => registry.fromJSON(spec));
        expect(error.error).toBeInstanceOf(InvalidTriggerError);
        expect(error.code).toBe('ERR_INVALID_TRIGGER');
        expect(error.field).toBe(field);
      });
    }

    it('lists the registered types for an unknown type', () => {
      const error = thrown(() => withHourlyAt().fromJSON({ type: 'weekly' }));
      expect(error.message).toContain("unknown trigger type 'weekly'");
      for (const type of ['date', 'interval', 'cron', 'hourly-at']) expect(error.message).toContain(`'${type}'`);
    });
  });

  describe('register', () => {
    it('adds a custom type, whose factory gets the spec and complete defaults', () => {
      const registry = new TriggerRegistry();
      const calls: [AnyTriggerSpec, TriggerDefaults][] = [];
      registry.register('hourly-at', (spec, defaults) => {
        calls.push([spec, defaults]);
        return everyHourAt(spec.minute as number);
      });
      expect(registry.types()).toEqual([...['date', 'interval', 'cron', 'calendarinterval', 'and', 'or'], 'hourly-at']);
      const now = new Date(Date.UTC(2026, 0, 1));
      const trigger = registry.fromJSON({ type: 'hourly-at', minute: 7 }, { timezone: 'Europe/Berlin', now });
      expect(trigger.getNextFireTime(null, now)?.getTime()).toBe(now.getTime() + 7 * 60_000);
      expect(calls[0]).toEqual([{ type: 'hourly-at', minute: 7 }, { timezone: 'Europe/Berlin', now }]);
      registry.fromJSON({ type: 'hourly-at', minute: 7 });
      const [, fallback] = calls[1]!;
      expect(fallback.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
      expect(fallback.now).toBeInstanceOf(Date);
    });

    it('refuses to replace a type, an empty type or a non-function factory', () => {
      const registry = withHourlyAt();
      const attempts: [() => void, string][] = [
        [() => registry.register('hourly-at', () => everyHourAt(1)), 'type'],
        [() => registry.register('date', () => everyHourAt(1)), 'type'],
        [() => registry.register('interval', () => everyHourAt(1)), 'type'],
        [() => registry.register('', () => everyHourAt(1)), 'type'],
        [() => registry.register(5 as never, () => everyHourAt(1)), 'type'],
        [() => registry.register('other', 'factory' as never), 'factory'],
      ];
      for (const [attempt, field] of attempts) {
        const error = thrown(attempt);
        expect(error.error).toBeInstanceOf(InvalidArgumentError);
        expect(error.code).toBe('ERR_INVALID_ARGUMENT');
        expect(error.field).toBe(field);
      }
      expect(registry.types()).toEqual([...['date', 'interval', 'cron', 'calendarinterval', 'and', 'or'], 'hourly-at']);
    });

    it('keeps registries independent of each other and of triggerFromJSON', () => {
      withHourlyAt();
      expect(new TriggerRegistry().has('hourly-at')).toBe(false);
      expect(thrown(() => triggerFromJSON({ type: 'hourly-at', minute: 1 })).field).toBe('type');
    });

    it('rejects what a factory returns when it is not a trigger', () => {
      const registry = new TriggerRegistry();
      registry.register('broken', () => ({}) as Trigger);
      const error = thrown(() => registry.fromJSON({ type: 'broken' }));
      expect(error.code).toBe('ERR_INVALID_TRIGGER');
      expect(error.field).toBe('type');
    });
  });

  describe('resolve', () => {
    it('returns a trigger as is', () => {
      const registry = new TriggerRegistry();
      const interval = new IntervalTrigger({ minutes: 1 });
      const custom = everyHourAt(3);
      expect(registry.resolve(interval)).toBe(interval);
      expect(registry.resolve(custom)).toBe(custom);
    });

    it('builds a plain spec, with the defaults', () => {
      const trigger = new TriggerRegistry().resolve({ type: 'date', runDate: '2026-01-01' }, { timezone: 'Asia/Tokyo' });
      expect(trigger.getNextFireTime(null, new Date(0))?.getTime()).toBe(Date.UTC(2025, 11, 31, 15));
    });

    it('reads a string as a crontab expression of the cron type', () => {
      const trigger = new TriggerRegistry().resolve('*/5 * * * *', { timezone: 'UTC' });
      expect(trigger.toJSON()).toEqual({ type: 'cron', expression: '*/5 * * * *', timezone: 'UTC' });
      const first = trigger.getNextFireTime(null, new Date('2026-01-05T10:02:30Z'));
      expect(first?.toISOString()).toBe('2026-01-05T10:05:00.000Z');
      const error = thrown(() => new TriggerRegistry().resolve('*/5 * * *'));
      expect(error).toMatchObject({ code: 'ERR_INVALID_TRIGGER', field: 'cron.expression' });
    });

    it('rejects anything else, naming the field trigger', () => {
      const registry = new TriggerRegistry();
      const bad: unknown[] = [
        undefined,
        null,
        5,
        true,
        () => 1,
        [],
        new Date(),
        new (class NotATrigger {})(),
        { getNextFireTime: () => null }, // no toJSON: could never be stored
        { getNextFireTime: 'soon', toJSON: () => ({ type: 'x' }) },
      ];
      for (const input of bad) {
        const error = thrown(() => registry.resolve(input));
        expect(error.code).toBe('ERR_INVALID_TRIGGER');
        expect(error.field).toBe('trigger');
      }
    });
  });
});

describe('TriggerRegistry: equal specs share one trigger', () => {
  const cron = (fields: Record<string, unknown>) => ({ type: 'cron', expression: '0 9 * * *', ...fields });
  const nextAfterZero = (trigger: Trigger) => trigger.getNextFireTime(null, new Date(0))?.toISOString();

  it('gives the same instance for a new, equal spec object, whatever the order of its fields', () => {
    const registry = new TriggerRegistry();
    const first = registry.fromJSON(cron({ timezone: 'Europe/Berlin' }));
    expect(registry.fromJSON(cron({ timezone: 'Europe/Berlin' }))).toBe(first);
    expect(registry.fromJSON({ timezone: 'Europe/Berlin', expression: '0 9 * * *', type: 'cron' })).toBe(first);
  });

  it('builds anew for a spec that differs in one field, has one more or one fewer, or another default zone', () => {
    const registry = new TriggerRegistry();
    const berlin = registry.fromJSON(cron({ timezone: 'Europe/Berlin' }));
    const tokyo = registry.fromJSON(cron({ timezone: 'Asia/Tokyo' }));
    expect(nextAfterZero(tokyo)).toBe('1970-01-01T00:00:00.000Z');
    expect(nextAfterZero(berlin)).toBe('1970-01-01T08:00:00.000Z');
    const jittered = registry.fromJSON(cron({ timezone: 'Asia/Tokyo', jitter: 5 }));
    expect(jittered).not.toBe(tokyo);
    expect(jittered.toJSON()).toMatchObject({ jitter: 5 });
    expect(registry.fromJSON(cron({ timezone: 'Asia/Tokyo' }))).toBe(tokyo);
    const zoneless = registry.fromJSON(cron({}), { timezone: 'America/New_York' });
    expect(nextAfterZero(zoneless)).toBe('1970-01-01T14:00:00.000Z');
    const otherDefault = registry.fromJSON(cron({}), { timezone: 'UTC' });
    expect(nextAfterZero(otherDefault)).toBe('1970-01-01T09:00:00.000Z');
  });

  it('follows a spec object changed after it was used', () => {
    const registry = new TriggerRegistry();
    const spec = cron({ timezone: 'UTC' });
    const nine = registry.fromJSON(spec);
    spec.expression = '0 10 * * *';
    const ten = registry.fromJSON(spec);
    expect(ten).not.toBe(nine);
    expect(nextAfterZero(ten)).toBe('1970-01-01T10:00:00.000Z');
    expect(nextAfterZero(nine)).toBe('1970-01-01T09:00:00.000Z');
  });

  it('tells an undefined field from a missing one as the stored JSON does (both mean the default)', () => {
    const registry = new TriggerRegistry();
    const defaults = { timezone: 'Asia/Tokyo' };
    const missing = registry.fromJSON(cron({}), defaults);
    const undefinedZone = registry.fromJSON(cron({ timezone: undefined }), defaults);
    expect(nextAfterZero(undefinedZone)).toBe(nextAfterZero(missing));
    expect(nextAfterZero(registry.fromJSON(cron({}), defaults))).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('triggerFromJSON', () => {
  it('builds the built-ins and honours the defaults', () => {
    const trigger = triggerFromJSON({ type: 'date', runDate: '2026-12-24T18:00' }, { timezone: 'Europe/Berlin' });
    expect(trigger.getNextFireTime(null, new Date(0))?.getTime()).toBe(Date.UTC(2026, 11, 24, 17));
    expect(trigger.toJSON()).toStrictEqual({ type: 'date', runDate: '2026-12-24T17:00:00.000Z', timezone: 'Europe/Berlin' });
  });

  it('rejects bad specs with the field at fault', () => {
    expect(thrown(() => triggerFromJSON({ type: 'interval', hours: -1 })).field).toBe('interval.hours');
    expect(thrown(() => triggerFromJSON(undefined)).field).toBe('trigger');
  });
});

triggerContract(
  'custom trigger through a registry',
  fc.integer({ min: 0, max: 59 }).map((minute) => ({ trigger: everyHourAt(minute), registry: withHourlyAt() })),
);
