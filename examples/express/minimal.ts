/**
 * The minimal mount: the scheduler's REST API under /scheduler of an Express app, with HTTP Basic
 * auth. Creates a job over HTTP, lists it, runs it now and reads its run history, then shows
 * the answers to a few bad requests.
 *
 * Run:  npx tsx examples/express/minimal.ts
 * See:  each request with its status and the interesting part of the answer; the process exits
 *       by itself (server closed, router closed, scheduler shut down).
 *
 * (An application imports from 'timetable' and 'timetable/express'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Scheduler } from '../../src/index.js';
import { schedulerRouter } from '../../src/express/index.js';

// Only registered tasks can be named over HTTP: the allow-list is the task registry.
const scheduler = new Scheduler({
  timezone: 'Europe/Berlin',
  tasks: { sendReport: (team: string) => `report sent to ${team}` },
});

const app = express();
const router = schedulerRouter(scheduler, { auth: { basic: { username: 'admin', password: 'change-me' } } });
app.use('/scheduler', router);

await scheduler.start();
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scheduler`;
const authorization = `Basic ${Buffer.from('admin:change-me').toString('base64')}`;

/** Sends a request and prints its status with a summary of the JSON answer. */
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization }) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = res.status === 204 ? undefined : ((await res.json()) as Record<string, any>);
  return { status: res.status, json, location: res.headers.get('location') };
}

const created = await call('POST', '/jobs', {
  id: 'weekly-report',
  task: 'sendReport',
  args: ['ops'],
  trigger: { type: 'cron', dayOfWeek: 'mon', hour: 9 },
});
console.log(`POST /jobs -> ${created.status}, Location: ${created.location}`);
console.log(`  trigger: ${created.json?.trigger.description}`);
console.log(`  next run: ${created.json?.nextRunTime} (ISO-8601 with the offset of Europe/Berlin)`);

const listed = await call('GET', '/jobs?limit=50&q=report');
console.log(`GET /jobs?limit=50&q=report -> ${listed.status}: ${listed.json?.jobs.map((job: { id: string }) => job.id).join(', ')} (${listed.json?.total} found)`);

// What a trigger would do, before a job is made of it.
const preview = await call('GET', `/preview?${new URLSearchParams({ trigger: '*/20 * * * *' })}`);
console.log(`GET /preview?trigger=*/20 * * * * -> ${preview.json?.trigger.description}, next: ${preview.json?.upcoming.length} times`);

// Read, change one field, send the whole job back.
const before = await call('GET', '/jobs/weekly-report');
const patched = await call('PATCH', '/jobs/weekly-report', { ...before.json, maxInstances: 2 });
console.log(`PATCH /jobs/weekly-report with the GET JSON -> ${patched.status}, maxInstances ${patched.json?.maxInstances}`);

const executed = new Promise((resolve) => scheduler.once('job:executed', resolve));
const run = await call('POST', '/jobs/weekly-report/run');
console.log(`POST /jobs/weekly-report/run -> ${run.status}`);
await executed;
const read = await call('GET', '/jobs/weekly-report');
console.log(`GET /jobs/weekly-report -> last outcome: ${read.json?.lastOutcome.status}, history: ${read.json?.history.length} record(s)`);

// Bad requests get a 4xx with a code and the field at fault, and change nothing.
const bad = [
  await call('POST', '/jobs', { task: 'sendReport', trigger: '0 25 * * *' }),
  await call('POST', '/jobs', { task: 'child_process:exec', trigger: '@daily', args: ['rm -rf /'] }),
  await call('POST', '/jobs', { task: 'sendReport', trigger: { type: 'date', runDate: '2024-02-30' } }),
  await call('DELETE', '/jobs/weekly-report', undefined, {}),
];
for (const { status, json } of bad) {
  console.log(`bad request -> ${status} ${json?.error.code}${json?.error.details?.field ? ` (field ${json.error.details.field})` : ''}`);
}

const removed = await call('DELETE', '/jobs/weekly-report');
console.log(`DELETE /jobs/weekly-report -> ${removed.status}`);

router.close();
server.close();
await scheduler.shutdown();
console.log('done');
