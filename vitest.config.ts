import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const shared = {
  testTimeout: 20_000,
};

// Subpath entries (timetable/stores/*) import core by the package's own name, so that the built
// ESM and CJS entries share the one copy of core a user has loaded; in tests that name is the
// source. Every project resolves it (projects do not inherit the root's `resolve`).
const resolve = {
  alias: [{ find: /^timetable$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }],
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
        resolve,
        test: {
          ...shared,
          name: 'all',
          include: ['test/**/*.test.ts'],
          env: { TZ: 'UTC' },
          exclude: ['test/package/**', 'node_modules/**'],
        },
      },
      ...hostZones.map((zone) => ({
        resolve,
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
