import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 20_000,
};

// Trigger results must not depend on the host's time zone: every test runs with TZ=UTC, and the
// trigger tests run again under two zones with DST of their own (one south of the equator, with
// a 45-minute offset).
const hostZones = ['Pacific/Chatham', 'America/New_York'];

export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'all',
          include: ['test/**/*.test.ts'],
          env: { TZ: 'UTC' },
          exclude: ['test/package/**', 'node_modules/**'],
        },
      },
      ...hostZones.map((zone) => ({
        test: {
          ...shared,
          name: `triggers TZ=${zone}`,
          include: ['test/triggers/**/*.test.ts'],
          env: { TZ: zone },
        },
      })),
    ],
  },
});
