/**
 * Headless Chromium for the dashboard tests (Debian's `chromium`, driven by playwright-core).
 * Without /usr/bin/chromium a browser suite is skipped with a warning, except under CI, where
 * importing this module fails (.ci/run installs Chromium first).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Whether the browser tests can run here. */
export const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI) && !['false', '0'].includes(process.env.CI ?? '');
if (!haveChromium) {
  if (inCi) {
    throw new Error(`${CHROMIUM} is missing: the dashboard's browser tests cannot run (.ci/run installs the Debian chromium package)`);
  }
  console.warn(
    `\n!!! SKIPPING the dashboard browser tests: ${CHROMIUM} is missing.\n` +
      '!!! Install it (apt-get install -y chromium) to run test/express/*.browser.test.ts; under CI=true this fails.\n',
  );
}

/** Starts Chromium headless, without a sandbox (as root) or background network traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
}

/** Ends what a browser test started: the browser, the server (open streams too), the scheduler. */
export async function tearDown(parts: {
  browser: { close(): Promise<void> } | undefined;
  server: import('node:http').Server | undefined;
  scheduler: { shutdown(options: { wait: boolean }): Promise<void> } | undefined;
}): Promise<void> {
  await parts.browser?.close();
  const { server } = parts;
  if (server) {
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }
  await parts.scheduler?.shutdown({ wait: false });
}
