import { describe, expect, it } from 'vitest';
import { InvalidTriggerError, describeValue } from '../../src/errors.js';

describe('describeValue', () => {
  it('quotes short strings whole', () => {
    expect(describeValue('*/31')).toBe('"*/31"');
  });

  it('cuts a long string, saying how long it was, so a message stays small', () => {
    const huge = '0,'.repeat(500_000);
    const error = new InvalidTriggerError('cron.expression', huge, 'too long');
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain('(1000000 characters)');
    expect(error.value).toBe(huge); // the value itself is kept as given
  });
});
