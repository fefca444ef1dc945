/**
 * W9 Redis: `node w9.mjs <timetable|bullmq> <memory|redis> <n> <nodes> [window s]`. n jobs due every second
 * for 20 s, run by `nodes` node processes (w9-node.mjs) on one store: timetable with its memory
 * store (one node, the baseline) or a `RedisJobStore` on a fresh key prefix shared by the nodes,
 * or BullMQ with n job schedulers (`every: 1000`) on a fresh queue and a `Worker` per node (see
 * adapters/bullmq.mjs), on the Redis server of `BENCH_REDIS_URL` (default redis://127.0.0.1:6379).
 *
 * The nodes start on the empty store; the first one adds the n jobs (50 at a time); the window is
 * the 20 due seconds from the first at least 500 ms after the adds returned (and not before a
 * BullMQ scheduler's start date). Every node records its fires (the slot the library says each
 * is for: timetable's `scheduledRunTime`, the due time in a BullMQ scheduler job's id) and stops
 * 20 ms before the end of the last second. A fire is delivered once per (job, slot) over all
 * nodes; a second one is a duplicate; before its slot, early. Lateness is the precise time the
 * job's code was called minus its slot, as in W5.
 *
 * Over the window (from 300 ms before its first second to 300 ms before its end, away from the
 * bursts): CPU of the node processes (`process.cpuUsage()` in each), of redis-server (utime +
 * stime from /proc, every thread), and Redis's command counts (`INFO commandstats`, whose calls
 * include the commands run inside Lua scripts), each divided by the fires of the window.
 * Connections that were open before the run and were used during the window are reported as
 * `otherClients` (their commands are in the counts). The prefix or queue is deleted afterwards
 * (BullMQ: `obliterate({ force: true })`), and keys left by a killed earlier run are swept first.
 * An unreachable Redis makes the run n/a.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { earlyWindow, percentile, round, runChild, until } from './_common.mjs';
import { driver } from './_stores.mjs';
import { unsupported } from '../adapters/_shared.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const URL_ = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PERIOD = 1000;
/** Concurrency of each BullMQ worker (one per node): no-op jobs, so I/O-bound. */
const BULLMQ_CONCURRENCY = 100;
/** How long the nodes may take to start, and the adds. */
const READY_LIMIT_MS = 20_000;
const ADD_LIMIT_MS = 60_000;
/** After the stop, how long the nodes may take to shut down and hand over their fires. */
const DONE_LIMIT_MS = 15_000;
/** A node exits by itself at the latest this long after its start. */
const NODE_LIMIT_MS = 150_000;
/** Names of this workload's prefixes and queues: `w9b_<pid>_<time>`. */
const TAG = 'w9b';
const CLOCK_TICK_US = 10_000; // USER_HZ is 100 on Linux
const TOP_COMMANDS = 6;

// The window's length in seconds is an optional fifth argument (20 by default), for smoke tests.
const [lib, store, nArg, nodesArg, windowArg] = process.argv.slice(2);
const WINDOW_MS = Number(windowArg ?? 20) * 1000;

/** The pids of the processes named `name`. */
function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** utime + stime (and the reaped children's) of a process, in µs; null when it is gone. */
function cpuOfPid(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * CLOCK_TICK_US;
  } catch {
    return null;
  }
}

const pidAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** `INFO commandstats` as `{ command: calls }`. */
function parseCommandstats(text) {
  const calls = {};
  for (const line of text.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match) calls[match[1]] = Number(match[2]);
  }
  return calls;
}

/**
 * A connection of this process to the Redis server (the repo's ioredis, as timetable's store
 * uses): `read()` (redis-server CPU from /proc, command counts), `diff(a, b)`, `others(seconds)`,
 * `unlink(pattern)`, `sweep()`, `close()`. Throws an n/a error when the server cannot be reached.
 */
async function redisProbe(url) {
  const { Redis } = driver('ioredis');
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 3000, commandTimeout: 10_000, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null, connectionName: 'w9-probe' });
  let first = null; // the connection's own error says more than "Connection is closed"
  client.on('error', (error) => {
    first ??= error;
  });
  const host = new URL(url).host;
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw unsupported(`Redis not reachable at ${host}: ${(first ?? error).message}`);
  }
  const version = /redis_version:([\d.]+)/.exec(await client.info('server'))?.[1] ?? '?';
  if (Number(version.split('.')[0]) < 7) {
    client.disconnect();
    throw unsupported(`Redis ${version} at ${host}: the store needs Redis 7`);
  }
  const probeId = Number(await client.client('ID'));
  let persistence = '?';
  try {
    const [, save] = await client.config('GET', 'save');
    const aof = /aof_enabled:(\d)/.exec(await client.info('persistence'))?.[1] === '1';
    persistence = [save ? `RDB snapshots (save ${save})` : null, aof ? 'AOF' : null].filter(Boolean).join(' + ') || 'no persistence';
  } catch {
    // CONFIG may be renamed away: unknown
  }
  const pids = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname) ? pidsNamed('redis-server') : [];
  const local = pids.length > 0;
  /** Every key matching `pattern`, by SCAN. */
  const scan = async (pattern) => {
    const keys = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  };
  const count = async (pattern) => (await scan(pattern)).length;
  const unlink = async (pattern) => {
    const keys = await scan(pattern);
    for (let k = 0; k < keys.length; k += 500) await client.unlink(...keys.slice(k, k + 500));
    return keys.length;
  };
  return {
    version: `Redis ${version}`,
    persistence,
    local,
    async read() {
      let cpuUs = 0;
      for (const pid of pids) cpuUs += cpuOfPid(pid) ?? 0;
      const calls = parseCommandstats(await client.info('commandstats'));
      return { cpuUs: local ? cpuUs : null, calls };
    },
    diff(a, b) {
      const byCommand = {};
      let total = 0;
      for (const [command, calls] of Object.entries(b.calls)) {
        // The INFO of reading `a` is counted after it.
        const delta = calls - (a.calls[command] ?? 0) - (command === 'info' ? 1 : 0);
        if (delta > 0) {
          byCommand[command] = delta;
          total += delta;
        }
      }
      return { cpuUs: a.cpuUs === null ? null : b.cpuUs - a.cpuUs, total, byCommand };
    },
    /** Connections open before this run (older ids than the probe's) that sent a command within `seconds`. */
    async others(seconds) {
      const list = await client.client('LIST');
      return list.split('\n').filter((line) => {
        const id = Number(/(?:^| )id=(\d+)/.exec(line)?.[1]);
        const idle = Number(/ idle=(\d+)/.exec(line)?.[1]);
        return id < probeId && idle < seconds;
      }).length;
    },
    unlink,
    count,
    /** Keys of earlier W9 runs whose process is gone (a run killed at its time limit). */
    async sweep() {
      const stale = new Set();
      for (const key of await scan(`*${TAG}_*`)) {
        const match = new RegExp(`${TAG}_(\\d+)_[0-9a-z]+`).exec(key);
        if (match && Number(match[1]) !== process.pid && !pidAlive(Number(match[1]))) stale.add(match[0]);
      }
      let swept = 0;
      for (const name of stale) swept += (await unlink(`{${name}}*`)) + (await unlink(`bull:${name}:*`));
      return swept;
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** Starts a node; resolves with `{ child, lines, wait(tag, ms) }` once it printed `@@ready`. */
function startNode(config) {
  const child = spawn(process.execPath, [join(HERE, 'w9-node.mjs'), JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const node = { child, identity: config.identity, stderr: '', messages: new Map(), waiters: new Map(), exited: null };
  let pending = '';
  const deliver = (tag, value) => {
    node.messages.set(tag, value);
    node.waiters.get(tag)?.resolve(value);
  };
  child.stdout.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const line of lines) {
      const match = /^@@(\w+)(?: (.*))?$/.exec(line);
      if (match) deliver(match[1], match[2] === undefined ? true : JSON.parse(match[2]));
    }
  });
  child.stderr.on('data', (chunk) => {
    node.stderr = (node.stderr + chunk).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    node.exited = code ?? signal;
    const why = new Error(`node ${config.identity} exited (${code ?? signal}): ${node.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400)}`);
    for (const { reject } of node.waiters.values()) reject(why);
  });
  /** Resolves with the node's `@@<tag>` message; rejects after `ms` or when it exits first. */
  node.wait = (tag, ms) =>
    new Promise((resolve, reject) => {
      if (node.messages.has(tag)) return resolve(node.messages.get(tag));
      if (node.exited !== null) return reject(new Error(`node ${config.identity} exited (${node.exited}): ${node.stderr.trim().slice(-300)}`));
      const timer = setTimeout(() => reject(new Error(`node ${config.identity}: no @@${tag} within ${ms / 1000} s: ${node.stderr.trim().slice(-300)}`)), ms);
      timer.unref(); // a failed run's other waits must not hold this process
      node.waiters.set(tag, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  node.send = (line) => child.stdin.write(`${line}\n`);
  return node;
}

/** Ends the nodes still running (SIGKILL) and waits for their exit. */
async function endNodes(nodes) {
  await Promise.all(
    nodes.map(
      (node) =>
        new Promise((resolve) => {
          if (node.exited !== null) return resolve();
          node.child.on('exit', resolve);
          node.child.kill('SIGKILL');
        }),
    ),
  );
}

/** A node's fires from its log file: `{ ms, precise, slots, jobs }` columns of `length`. */
function readLog(path, length) {
  const bytes = new Uint8Array(readFileSync(path)); // a copy, aligned for the typed arrays
  const buffer = bytes.buffer;
  return {
    ms: new Float64Array(buffer, 0, length),
    precise: new Float64Array(buffer, length * 8, length),
    slots: new Float64Array(buffer, length * 16, length),
    jobs: new Int32Array(buffer, length * 24, length),
  };
}

await runChild(async () => {
  const n = Number(nArg);
  const nodeCount = Number(nodesArg);
  if (!['timetable', 'bullmq'].includes(lib)) throw new Error(`w9 runs timetable or bullmq, not ${lib}`);
  if (!['memory', 'redis'].includes(store) || (lib === 'bullmq' && store !== 'redis')) throw new Error(`w9: bad store ${store} for ${lib}`);
  if (store === 'memory' && nodeCount !== 1) throw new Error('w9: the memory store has one node');
  if (!(n > 0) || !(nodeCount > 0)) throw new Error('w9: n and nodes must be positive');
  const bullmq = lib === 'bullmq' ? await import('../adapters/bullmq.mjs') : null;
  if (bullmq) await bullmq.load();
  const probe = store === 'redis' ? await redisProbe(URL_) : null;
  const name = `${TAG}_${process.pid}_${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'timetable-bench-w9-'));
  const nodes = [];
  let swept = 0;
  let result;
  const cleanup = { keysDeleted: null, keysLeft: null };
  try {
    if (probe) swept = await probe.sweep();
    const started = Date.now();
    for (let k = 0; k < nodeCount; k++) {
      nodes.push(
        startNode({
          lib,
          store,
          n,
          url: URL_,
          prefix: name,
          queue: name,
          concurrency: BULLMQ_CONCURRENCY,
          windowSeconds: WINDOW_MS / 1000,
          identity: `w9-n${k + 1}`,
          log: join(dir, `n${k + 1}.bin`),
          deadline: Date.now() + NODE_LIMIT_MS,
        }),
      );
    }
    await Promise.all(nodes.map((node) => node.wait('ready', READY_LIMIT_MS)));
    const readyMs = Date.now() - started;
    nodes[0].send('add');
    const added = await nodes[0].wait('added', ADD_LIMIT_MS);
    const start = Math.max(Math.ceil((Date.now() + 500) / PERIOD) * PERIOD, added.lastStart ?? 0);
    const end = start + WINDOW_MS;
    const early = earlyWindow(PERIOD);
    const stopAt = end - early;
    const cpuAt = [start - 0.3 * PERIOD, end - 0.3 * PERIOD];
    for (const node of nodes) node.send(`window ${JSON.stringify({ cpuAt, stopAt })}`);

    await until(cpuAt[0]);
    const a = probe ? await probe.read() : null;
    await until(cpuAt[1]);
    const b = probe ? await probe.read() : null;
    const otherClients = probe ? await probe.others(Math.floor((cpuAt[1] - cpuAt[0]) / 1000)) : null;
    const done = await Promise.all(nodes.map((node) => node.wait('done', Math.max(0, stopAt - Date.now()) + DONE_LIMIT_MS)));
    await endNodes(nodes);

    // The fires of every node, judged together.
    const slots = WINDOW_MS / PERIOD;
    const seen = new Uint8Array(n * slots);
    let delivered = 0;
    let duplicates = 0;
    let earlyFires = 0;
    let unaligned = 0;
    let late = 0;
    const lateness = [];
    const staleLateness = [];
    const deliveredByNode = [];
    for (const [k, info] of done.entries()) {
      const log = readLog(join(dir, `n${k + 1}.bin`), info.fires);
      let mine = 0;
      for (let f = 0; f < info.fires; f++) {
        const ms = log.ms[f];
        if (ms >= stopAt) {
          late++;
          continue;
        }
        const slot = log.slots[f];
        if (slot < start && ms >= start) staleLateness.push(log.precise[f] - slot);
        if (slot < start || slot >= end) continue;
        if (slot % PERIOD !== 0) unaligned++;
        const key = log.jobs[f] * slots + Math.floor((slot - start) / PERIOD);
        if (ms < slot) earlyFires++;
        if (seen[key]) {
          duplicates++;
          continue;
        }
        seen[key] = 1;
        delivered++;
        mine++;
        lateness.push(log.precise[f] - slot);
      }
      deliveredByNode.push(mine);
    }
    lateness.sort((x, y) => x - y);
    staleLateness.sort((x, y) => x - y);
    const cpuFires = done.reduce((sum, d) => sum + d.cpuFires, 0);
    const nodeCpuUs = done.reduce((sum, d) => sum + d.cpuUs, 0);
    const perFire = (x, digits = 2) => (x === null || x === undefined || cpuFires === 0 ? null : round(x / cpuFires, digits));
    const commands = probe ? probe.diff(a, b) : null;
    const topCommands = commands
      ? Object.entries(commands.byCommand)
          .sort((x, y) => y[1] - x[1])
          .slice(0, TOP_COMMANDS)
          .map(([command, calls]) => ({ command, perFire: perFire(calls, 3) }))
      : null;
    const scripts = commands ? (commands.byCommand.evalsha ?? 0) + (commands.byCommand.eval ?? 0) + (commands.byCommand.fcall ?? 0) : null;
    result = {
      lib,
      store,
      n,
      nodes: nodeCount,
      concurrency: bullmq ? BULLMQ_CONCURRENCY : null,
      expected: n * slots,
      delivered,
      duplicates,
      early: earlyFires,
      unaligned,
      firesAfterStop: late,
      dropped: done.reduce((sum, d) => sum + d.dropped, 0),
      latenessP50: round(percentile(lateness, 50)),
      latenessP99: round(percentile(lateness, 99)),
      latenessMax: round(percentile(lateness, 100)),
      staleFires: staleLateness.length,
      staleLatenessP50: round(percentile(staleLateness, 50)),
      cpuFires,
      cpuUsPerFire: perFire(nodeCpuUs),
      redisCpuUsPerFire: commands ? perFire(commands.cpuUs) : null,
      commandsPerFire: commands ? perFire(commands.total, 3) : null,
      scriptsPerFire: commands ? perFire(scripts, 3) : null,
      topCommands,
      otherClients,
      deliveredByNode,
      readyMs,
      addMs: round(added.addMs, 1),
      shutdownMs: done.map((d) => round(d.shutdownMs, 1)),
      errors: done.reduce((sum, d) => sum + d.errors, 0),
      errorExamples: done.flatMap((d) => d.errorExamples).slice(0, 3),
      server: probe?.version ?? null,
      persistence: probe?.persistence ?? null,
      serverLocal: probe?.local ?? null,
      version: bullmq ? bullmq.version() : null,
      keysSwept: swept,
    };
  } finally {
    await endNodes(nodes);
    rmSync(dir, { recursive: true, force: true });
    if (probe) {
      try {
        if (bullmq) await bullmq.obliterate({ url: URL_, queue: name });
      } catch (error) {
        console.error(`w9: obliterate failed: ${error.message}`);
      }
      try {
        // The prefix's keys (BullMQ: none left after obliterate), then a look for any left.
        const patterns = [`{${name}}*`, `bull:${name}:*`];
        cleanup.keysDeleted = (await probe.unlink(patterns[0])) + (await probe.unlink(patterns[1]));
        cleanup.keysLeft = (await probe.count(patterns[0])) + (await probe.count(patterns[1]));
      } catch (error) {
        console.error(`w9: could not delete the keys of ${name}: ${error.message}`);
      }
      await probe.close();
    }
  }
  return { ...result, ...cleanup };
});
