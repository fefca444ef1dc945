/**
 * Read-only mode: a status page for everyone on the internal network, with no way to change
 * anything. `readOnly: true` refuses every write route with 403 whatever the credentials, and
 * `allowedHosts` refuses requests for other host names (a guard against DNS rebinding when the
 * API listens on localhost). `auth: false` is explicit: this router needs no credentials.
 *
 * Run:  npx tsx examples/express/read-only.ts
 * See:  the reads answered, the writes refused, the job unchanged; the process exits by itself.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Scheduler } from '../../src/index.js';
import { schedulerRouter } from '../../src/express/index.js';

const scheduler = new Scheduler({ timezone: 'UTC', tasks: { backup: () => 'backed up' } });
await scheduler.addJob('backup', { type: 'cron', hour: 2 }, { id: 'nightly-backup' });

const router = schedulerRouter(scheduler, { auth: false, readOnly: true, allowedHosts: ['127.0.0.1', 'localhost'] });
const app = express();
app.use('/status', router);
await scheduler.start();
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;

const info = (await (await fetch(base)).json()) as { state: string; jobCount: number; readOnly: boolean };
console.log(`GET / -> state ${info.state}, ${info.jobCount} job(s), readOnly ${info.readOnly}`);
const job = (await (await fetch(`${base}/jobs/nightly-backup`)).json()) as { trigger: { description: string } };
console.log(`GET /jobs/nightly-backup -> ${job.trigger.description}`);

const writes: [string, string][] = [
  ['POST', '/jobs/nightly-backup/pause'],
  ['POST', '/jobs/nightly-backup/run'],
  ['DELETE', '/jobs/nightly-backup'],
  ['POST', '/shutdown'],
];
for (const [method, path] of writes) {
  const res = await fetch(`${base}${path}`, { method });
  const { error } = (await res.json()) as { error: { code: string } };
  console.log(`${method} ${path} -> ${res.status} ${error.code}`);
}

// A page on another host name (e.g. a rebinding attacker's domain pointing at 127.0.0.1).
const { request } = await import('node:http');
const rebinding = await new Promise<number>((resolve, reject) => {
  const req = request(`${base}/jobs`, { headers: { Host: 'attacker.example' } }, (res) => {
    res.resume();
    resolve(res.statusCode ?? 0);
  });
  req.on('error', reject);
  req.end();
});
console.log(`GET /jobs with Host: attacker.example -> ${rebinding}`);

const after = await scheduler.getJob('nightly-backup');
console.log(`job still there: ${after !== undefined}, paused: ${after?.paused}, state: ${scheduler.state}`);

router.close();
server.close();
await scheduler.shutdown();
