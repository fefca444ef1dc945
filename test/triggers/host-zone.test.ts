import { describe, expect, it } from 'vitest';

// The trigger tests also run in projects that set TZ (see vitest.config.ts); this proves the
// setting reaches Date and Intl, so those runs really use another host zone.
describe('the host time zone of this run', () => {
  it('is the one TZ names', () => {
    const zone = process.env.TZ;
    const januaryOffsets: Record<string, number> = { UTC: 0, 'Pacific/Chatham': -825, 'America/New_York': 300 };
    expect(zone !== undefined && zone in januaryOffsets).toBe(true);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
    expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(januaryOffsets[zone as string]);
  });
});
