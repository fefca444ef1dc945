/**
 * Regenerates docs/images/dashboard.png: starts the web demo (examples/demo.ts) on a free port,
 * gives its jobs some history (a few run-nows, one of them failing), opens the dashboard in
 * headless Chromium (Debian's /usr/bin/chromium through playwright-core) at 1280x800, takes the
 * screenshot and stops the demo.
 *
 * Run:  npx tsx scripts/screenshot-dashboard.ts   (not part of the tests)
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = fileURLToPath(new URL('../docs/images/dashboard.png', import.meta.url));
const PASSWORD = 'timetable';

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const port = await freePort();
const demo = spawn(process.execPath, ['--import', 'tsx', 'examples/demo.ts', '--memory'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DEMO_PASSWORD: PASSWORD },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let demoOutput = '';
const url = await new Promise<string>((resolve, reject) => {
  demo.stdout.on('data', (chunk: Buffer) => {
    demoOutput += chunk.toString();
    const match = /Dashboard:\s+(\S+)/.exec(demoOutput);
    if (match?.[1]) resolve(match[1]);
  });
  demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before printing its URL:\n${demoOutput}`)));
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
});
try {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    httpCredentials: { username: 'demo', password: PASSWORD },
  });
  const page = await context.newPage();
  await page.goto(url);
  const row = (id: string) => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  await row('heartbeat').waitFor();
  await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();

  /** Clicks "Run now" and waits until the outcome cell shows `status`. */
  const runNow = async (target: Page, id: string, status: string) => {
    const before = await row(id).getByTestId('job-outcome').textContent();
    await row(id).getByTestId('job-run').click();
    await target.waitForFunction(
      ([jobId, text, previous]) => {
        // Runs in the page (typed loosely: this repo compiles without the DOM library).
        const cell = (globalThis as any).document.querySelector(`[data-job-id="${jobId}"] [data-testid="job-outcome"]`);
        return cell !== null && cell.textContent !== previous && String(cell.textContent).startsWith(text);
      },
      [id, status, before] as const,
    );
  };
  await runNow(page, 'heartbeat', 'ok');
  await runNow(page, 'minute-report', 'ok');
  await runNow(page, 'sync-prices', 'ok');
  await runNow(page, 'sync-prices', 'ok');
  await runNow(page, 'sync-prices', 'error'); // every third sync fails
  await row('rebuild-index').getByTestId('job-run').click(); // takes 8 s: shown as running
  await row('rebuild-index').getByTestId('running-badge').waitFor();
  await row('sync-prices').getByTestId('job-toggle').click();
  await page.locator('[data-testid="job-details"][data-job-id="sync-prices"] [data-testid="history-row"]').nth(2).waitFor();
  await page.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  demo.kill('SIGINT');
  setTimeout(() => demo.kill('SIGINT'), 200); // a second signal: do not wait for the slow job
}
