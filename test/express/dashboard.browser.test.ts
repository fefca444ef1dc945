// The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
// against a real Express 5 app, the real router and a real scheduler: the page loads and lists
// the jobs, a run-now's outcome arrives live through /events, API errors are shown naming the
// field, and jobs are added, paused, resumed and removed from the page.
//
// Without /usr/bin/chromium the suite is skipped with a warning, except under CI, where it fails
// (.ci/run installs Chromium first).
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryJobStore, Scheduler } from '../../src/index.js';
import { schedulerRouter } from '../../src/express/index.js';
import { haveChromium, launchChromium, tearDown } from '../helpers/browser.js';

/** Where the screenshots go (looked at by hand; kept with TIMETABLE_SCREENSHOTS=<dir>). */
const SHOTS = process.env.TIMETABLE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'timetable-dashboard-'));

const USER = 'ops';
const PASSWORD = 'correct horse battery staple';
const TOKEN = 's3cret-token';
const WAIT_MS = 5_000;

describe.skipIf(!haveChromium)('dashboard in headless Chromium', () => {
  let scheduler: Scheduler;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let url: string;
  const problems: string[] = [];

  const row = (id: string): Locator => page.locator(`[data-testid="job-row"][data-job-id="${id}"]`);
  /** Waits until the locator's element contains the text (or pattern). */
  const waitForText = (locator: Locator, text: string | RegExp): Promise<void> =>
    locator.filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS });

  beforeAll(async () => {
    scheduler = new Scheduler({ stores: { default: new MemoryJobStore() }, timezone: 'UTC' });
    let greetings = 0;
    scheduler.registerTask('greet', (who: string) => `hello ${who} #${++greetings}`);
    scheduler.registerTask('explode', () => {
      throw new Error('kaboom <img src=x onerror=alert(1)>');
    });
    await scheduler.addJob('greet', { type: 'interval', hours: 1 }, { id: 'greeter', args: ['ada'] });
    await scheduler.addJob('explode', '0 0 1 1 *', { id: 'exploder', name: 'Exploding job' });
    await scheduler.start();

    const app = express();
    app.use('/scheduler', schedulerRouter(scheduler, { auth: { basic: { username: USER, password: PASSWORD } } }));
    // A bearer-token mount: the (data-free) page loads without the token and asks for it after
    // the API's first 401.
    app.use('/token', schedulerRouter(scheduler, { auth: { bearer: TOKEN } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scheduler/dashboard`;

    browser = await launchChromium();
    // The browser answers the Basic challenge the way a user signing in would.
    const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A CSP violation or a script error shows up here; expected API errors are shown in the page.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
    });
  }, 30_000);

  afterAll(async () => {
    await tearDown({ browser, server, scheduler });
  });

  it('loads the page and lists the jobs, with the scheduler state and live updates on', async () => {
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/default-src 'none'.*script-src 'nonce-.*frame-ancestors 'none'/);
    expect(headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    await row('greeter').waitFor({ timeout: WAIT_MS });
    await row('exploder').waitFor({ timeout: WAIT_MS });
    await waitForText(page.getByTestId('scheduler-state'), 'running');
    await waitForText(page.getByTestId('live-status'), 'live');
    expect(await row('exploder').getByTestId('job-title').textContent()).toBe('Exploding job');
    expect(await row('greeter').getByTestId('job-trigger').textContent()).toBe('every hour, UTC');
    expect(await row('greeter').getByTestId('job-next-run').textContent()).toMatch(/in (59|60) min|in 1 h/);
    expect(await row('greeter').getByTestId('job-state').textContent()).toContain('active');
    expect(await row('greeter').getByTestId('job-outcome').textContent()).toContain('no runs yet');
  });

  it('runs a job now and shows its outcome as it arrives through /events', async () => {
    await row('greeter').getByTestId('job-run').click();
    await waitForText(row('greeter').getByTestId('job-outcome'), 'ok');

    await row('exploder').getByTestId('job-run').click();
    const outcome = row('exploder').getByTestId('job-outcome');
    await waitForText(outcome, 'error');
    // The error message is shown as text, never parsed as HTML.
    await waitForText(outcome.getByTestId('outcome-error'), 'kaboom <img src=x onerror=alert(1)>');
    expect(await outcome.locator('img').count()).toBe(0);

    // The details row shows the run history from GET /jobs/:id.
    await row('exploder').getByTestId('job-toggle').click();
    const details = page.locator('[data-testid="job-details"][data-job-id="exploder"]');
    await details.getByTestId('history-row').first().waitFor({ timeout: WAIT_MS });
    expect(await details.getByTestId('history-row').first().getAttribute('data-status')).toBe('error');

    // A change made elsewhere (here, by the application) arrives through /events alone.
    await scheduler.pauseJob('exploder');
    await waitForText(row('exploder').getByTestId('job-state'), 'paused');
    await scheduler.resumeJob('exploder');
    await waitForText(row('exploder').getByTestId('job-state'), 'active');
  });

  it('shows an invalid cron expression as an error naming the field, and adds nothing', async () => {
    await page.getByTestId('add-task').selectOption('greet');
    await page.getByTestId('add-kind').selectOption('cron');
    await page.getByTestId('add-id').fill('broken');
    await page.getByTestId('add-value').fill('61 * * * *');
    await page.getByTestId('add-submit').click();
    const alert = page.getByRole('alert');
    // The field at fault: `cron.expression`, possibly under the request's `trigger`.
    await waitForText(alert, /field (trigger\.)?cron\.expression|field trigger/);
    expect(await alert.textContent()).toMatch(/ERR_(VALIDATION|INVALID_TRIGGER)/);
    expect(await alert.textContent()).toContain('61');
    expect(await page.getByTestId('add-value').getAttribute('aria-invalid')).toBe('true');
    expect(await scheduler.getJob('broken')).toBeUndefined();
    expect(await page.getByTestId('job-row').count()).toBe(2);
  });

  it('adds a valid job and lists it', async () => {
    await page.getByTestId('add-id').fill('nightly');
    await page.getByTestId('add-name').fill('Nightly greeting');
    await page.getByTestId('add-value').fill('0 3 * * *');
    await page.getByTestId('add-args').fill('["grace"]');
    await page.getByTestId('add-submit').click();
    await row('nightly').waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId('alert').isHidden()).toBe(true);
    expect(await row('nightly').getByTestId('job-trigger').textContent()).toBe('at 03:00 every day, UTC');
    expect(await row('nightly').getByTestId('job-task').textContent()).toContain('["grace"]');
    expect((await scheduler.getJob('nightly'))?.args).toEqual(['grace']);
  });

  it('pauses and resumes a job', async () => {
    await row('nightly').getByTestId('job-pause').click();
    await waitForText(row('nightly').getByTestId('job-state'), 'paused');
    await row('nightly').getByTestId('job-resume').waitFor({ timeout: WAIT_MS });
    expect((await scheduler.getJob('nightly'))?.paused).toBe(true);

    await row('nightly').getByTestId('job-resume').click();
    await waitForText(row('nightly').getByTestId('job-state'), 'active');
    await row('nightly').getByTestId('job-pause').waitFor({ timeout: WAIT_MS });
    expect((await scheduler.getJob('nightly'))?.paused).toBe(false);
  });

  it('pauses and resumes the scheduler', async () => {
    await page.getByTestId('scheduler-pause').click();
    await waitForText(page.getByTestId('scheduler-state'), 'paused');
    expect(scheduler.state).toBe('paused');
    await page.getByTestId('scheduler-resume').click();
    await waitForText(page.getByTestId('scheduler-state'), 'running');
    expect(scheduler.state).toBe('running');
  });

  it('removes a job after confirmation', async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await row('nightly').getByTestId('job-remove').click();
    await row('nightly').waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await scheduler.getJob('nightly')).toBeUndefined();
    expect(await page.getByTestId('job-row').count()).toBe(2);
  });

  it('asks for a bearer token after a 401 and sends it from then on', async () => {
    const tokenPage = await browser.newPage();
    try {
      await tokenPage.goto(url.replace('/scheduler/', '/token/'));
      await tokenPage.getByTestId('token-form').waitFor({ timeout: WAIT_MS });
      await waitForText(tokenPage.getByRole('alert'), 'ERR_UNAUTHORIZED');
      expect(await tokenPage.getByTestId('job-row').count()).toBe(0);
      await tokenPage.getByTestId('token-input').fill(TOKEN);
      await tokenPage.getByTestId('token-submit').click();
      await tokenPage.locator('[data-testid="job-row"][data-job-id="greeter"]').waitFor({ timeout: WAIT_MS });
      await waitForText(tokenPage.getByTestId('live-status'), 'live');
      expect(await tokenPage.getByTestId('token-form').isHidden()).toBe(true);
      expect(await tokenPage.evaluate('sessionStorage.length')).toBe(1);
    } finally {
      await tokenPage.close();
    }
  });

  it('works at the same URL written in other case or with a trailing slash (Express matches both)', async () => {
    const other = await page.context().newPage();
    try {
      const base = url.replace(/\/scheduler\/dashboard$/, '');
      for (const path of ['/SCHEDULER/Dashboard', '/scheduler/dashboard/']) {
        expect((await other.goto(base + path))?.status()).toBe(200);
        await other.locator('[data-testid="job-row"][data-job-id="greeter"]').waitFor({ timeout: WAIT_MS });
        expect(await other.getByTestId('alert').isHidden()).toBe(true);
      }
    } finally {
      await other.close();
    }
  });

  it('shows an error naming a field that is also an Object.prototype key without breaking', async () => {
    await page.route('**/scheduler/jobs', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'ERR_VALIDATION', message: 'Unknown field "constructor"', details: { field: 'constructor' } } }),
          })
        : route.continue(),
    );
    try {
      await page.getByTestId('add-task').selectOption('greet');
      await page.getByTestId('add-kind').selectOption('cron');
      await page.getByTestId('add-value').fill('@daily');
      await page.getByTestId('add-submit').click();
      await waitForText(page.getByTestId('alert-message'), 'Unknown field "constructor"');
    } finally {
      await page.unroute('**/scheduler/jobs');
      await page.getByTestId('alert-dismiss').click();
    }
  });

  it('shows a run that started before the page loaded as running after a reload, until it ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    scheduler.registerTask('hang', () => gate);
    await scheduler.addJob('hang', { type: 'interval', hours: 1 }, { id: 'hanger' });
    await scheduler.runJob('hanger'); // started on the server, not from the page
    await page.reload();
    await waitForText(row('hanger').getByTestId('job-state'), 'running');
    release();
    await row('hanger').getByTestId('job-state').filter({ hasNotText: 'running' }).waitFor({ timeout: WAIT_MS });
    await waitForText(row('hanger').getByTestId('job-outcome'), 'ok');
    await scheduler.removeJob('hanger');
  });

  it('fits a phone (390 px): no page overflow, the trigger wraps by words, the actions are reachable', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.reload();
    await row('greeter').waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: join(SHOTS, 'dashboard-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await row('greeter').waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    const widths = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
      return { page: doc.documentElement.scrollWidth, screen: (globalThis as unknown as { innerWidth: number }).innerWidth };
    });
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    // A trigger described in a dozen words takes a few lines, not one line per character.
    const trigger = await row('exploder').getByTestId('job-trigger').boundingBox();
    expect(trigger?.width ?? 0).toBeGreaterThanOrEqual(100);
    // The run button is reached by scrolling the table, and works.
    const run = row('greeter').getByTestId('job-run');
    await run.scrollIntoViewIfNeeded();
    expect(await run.isVisible()).toBe(true);
    await run.click();
    await waitForText(page.getByTestId('action-status'), /run/i);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('clears a success message when another action then reports an error', async () => {
    await row('greeter').getByTestId('job-run').click();
    await waitForText(page.getByTestId('action-status'), /run/i);
    await page.route('**/scheduler/jobs/greeter/pause', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'ERR_SCHEDULER_STATE', message: 'The scheduler is stopped' } }) }),
    );
    try {
      await row('greeter').getByTestId('job-pause').click();
      await waitForText(page.getByTestId('alert-message'), 'The scheduler is stopped');
      expect(await page.getByTestId('action-status').textContent()).toBe('');
    } finally {
      await page.unroute('**/scheduler/jobs/greeter/pause');
      await page.getByTestId('alert-dismiss').click();
    }
  });

  it('asks before adding a job at a date that has passed; cancelled, it adds nothing', async () => {
    await page.getByTestId('add-task').selectOption('greet');
    await page.getByTestId('add-kind').selectOption('date');
    await page.getByTestId('add-id').fill('too-late');
    await page.getByTestId('add-value').fill('2020-01-01T09:00:00');
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByTestId('add-submit').click();
    await waitForText(page.getByTestId('alert-message'), 'has passed: choose a later one');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('has passed');
    expect(await page.getByTestId('add-value').getAttribute('aria-invalid')).toBe('true');
    expect(await scheduler.getJob('too-late')).toBeUndefined();
    await page.getByTestId('alert-dismiss').click();

    // Confirmed, it is sent: the scheduler decides (here the run is long past its grace time).
    page.once('dialog', (dialog) => void dialog.accept());
    const added = new Promise<void>((resolve) => scheduler.once('job:added', ({ jobId }) => jobId === 'too-late' && resolve()));
    await page.getByTestId('add-submit').click();
    await added;
    await page.getByTestId('add-kind').selectOption('cron');
    await page.getByTestId('add-id').fill('');
  });

  it('refuses an id that is taken with a hint the form can follow', async () => {
    await page.getByTestId('add-task').selectOption('greet');
    await page.getByTestId('add-kind').selectOption('cron');
    await page.getByTestId('add-id').fill('greeter');
    await page.getByTestId('add-value').fill('@daily');
    await page.getByTestId('add-submit').click();
    await waitForText(page.getByTestId('alert-message'), 'A job with id "greeter" already exists: choose another id');
    expect(await page.getByTestId('alert-message').textContent()).not.toContain('replaceExisting');
    await page.getByTestId('alert-dismiss').click();
    await page.getByTestId('add-id').fill('');
    await page.getByTestId('add-value').fill('');
  });

  it('previews the next fire times while a cron expression is typed, and says what is wrong with a bad one', async () => {
    await page.getByTestId('add-kind').selectOption('cron');
    await page.getByTestId('add-value').fill('30 9 * * 1-5');
    const preview = page.getByTestId('add-preview');
    await waitForText(preview, /^Next: /);
    expect(((await preview.textContent()) ?? '').split(' · ')).toHaveLength(5);
    await page.getByTestId('add-value').fill('61 * * * *');
    await waitForText(preview, 'minute "61": 61 is outside 0-59');
    await page.getByTestId('add-value').fill('');
  });

  it("lists a job's next five runs in its details", async () => {
    const toggle = row('greeter').getByTestId('job-toggle');
    await toggle.click();
    const details = page.locator('[data-testid="job-details"][data-job-id="greeter"]');
    await details.getByTestId('upcoming').waitFor({ timeout: WAIT_MS });
    expect(await details.getByTestId('upcoming').locator('li').count()).toBe(5);
    await toggle.click();
  });

  it('rows say so while the scheduler is paused', async () => {
    await scheduler.pause();
    await page.reload();
    await waitForText(page.getByTestId('scheduler-state'), 'paused');
    await waitForText(row('greeter').getByTestId('held-badge'), 'scheduler paused');
    await waitForText(page.getByTestId('scheduler-note'), 'no job runs until it resumes');
    expect(await row('greeter').getByRole('button', { name: /^Pause job/ }).isEnabled()).toBe(true);
    await scheduler.resume();
    await page.reload();
    await row('greeter').waitFor({ timeout: WAIT_MS });
    expect(await row('greeter').getByTestId('held-badge').count()).toBe(0);
    expect(await page.getByTestId('scheduler-note').isHidden()).toBe(true);
  });

  it('lists the stored jobs after a shutdown, read-only, and makes them changeable again once it runs', async () => {
    await scheduler.shutdown();
    await page.reload();
    await waitForText(page.getByTestId('scheduler-state'), 'stopped');
    await waitForText(page.getByTestId('live-status'), 'scheduler stopped');
    await waitForText(row('greeter').getByTestId('held-badge'), 'scheduler stopped');
    await waitForText(page.getByTestId('scheduler-note'), 'jobs are shown as stored');
    expect(await page.getByTestId('jobs-empty').isHidden()).toBe(true);
    expect(await row('greeter').getByRole('button', { name: /^Pause job/ }).isDisabled()).toBe(true);
    await scheduler.start();
    await page.reload();
    await row('greeter').waitFor({ timeout: WAIT_MS });
    expect(await row('greeter').getByTestId('held-badge').count()).toBe(0);
    expect(await row('greeter').getByRole('button', { name: /^Pause job/ }).isEnabled()).toBe(true);
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
