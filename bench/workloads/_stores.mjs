/**
 * What the store workloads (W5, W6, W7) share: the servers, a fresh namespace per run (a SQLite
 * file in a temp dir, a PostgreSQL schema, a MySQL table prefix), timetable's stores from the
 * repo's built output (../dist/stores/*.js), the drivers from the repo's own node_modules (they
 * are its devDependencies, so dist resolves the very same modules), statements counted in the
 * drivers, and the CPU time of the database server's processes read from /proc.
 *
 * Servers: `BENCH_POSTGRES_URL` (default postgres://postgres@127.0.0.1:5432/test) and
 * `BENCH_MYSQL_URL` (default mysql://root@127.0.0.1:3306/test). The suite works in a database of
 * its own on each, `timetable_bench`, created on first use from that URL (it stays on the URL's
 * database when it may not create one), so its tables and PostgreSQL's per-database counters are
 * apart from anything else using the server.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsupported } from '../adapters/_shared.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `require` from the repo root: the drivers the built stores import. */
const requireRoot = createRequire(join(ROOT, 'package.json'));

export const STORES = ['memory', 'sqlite', 'postgres', 'mysql'];
export const SERVER_URLS = {
  postgres: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  mysql: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test',
};
/** The database the suite creates for itself on each server. */
export const BENCH_DATABASE = 'timetable_bench';
/** Names of the server processes whose CPU time is read (when the server is on this machine). */
const SERVER_PROCESSES = { postgres: ['postgres'], mysql: ['mariadbd', 'mysqld'] };
const CLOCK_TICK_US = 10_000; // USER_HZ is 100 on Linux

/** A driver from the repo's node_modules, or an n/a error naming what to install. */
export function driver(name) {
  try {
    return requireRoot(name);
  } catch {
    throw unsupported(`driver ${name} is not installed (npm install at the repo root)`);
  }
}

/** A name no other run uses: `<tag>_<pid>_<time>`. */
export function freshName(tag) {
  return `${tag}_${process.pid}_${Date.now().toString(36)}`.toLowerCase();
}

const withDatabase = (url, database) => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

/** A pg client the statement counter does not count. */
async function pgAdmin(url) {
  const pg = driver('pg');
  const client = new pg.Client({ connectionString: url });
  client.benchUncounted = true;
  try {
    await client.connect();
  } catch (error) {
    throw unsupported(`PostgreSQL not reachable at ${new URL(url).host}: ${error.message}`);
  }
  return client;
}

/** A mysql2 connection the statement counter does not count. */
async function mysqlAdmin(url) {
  const mysql = driver('mysql2/promise');
  let connection;
  try {
    connection = await mysql.createConnection({ uri: url });
  } catch (error) {
    throw unsupported(`MySQL not reachable at ${new URL(url).host}: ${error.message}`);
  }
  connection.connection.benchUncounted = true;
  return connection;
}

/** The URL of the suite's own database on `kind`'s server, created when missing. */
async function benchUrl(kind) {
  const base = SERVER_URLS[kind];
  if (kind === 'postgres') {
    const admin = await pgAdmin(base);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DATABASE]);
      if (rowCount === 0) await admin.query(`create database ${BENCH_DATABASE}`).catch(() => undefined);
      const { rowCount: now } = await admin.query('select 1 from pg_database where datname = $1', [BENCH_DATABASE]);
      return now > 0 ? withDatabase(base, BENCH_DATABASE) : base;
    } finally {
      await admin.end();
    }
  }
  const admin = await mysqlAdmin(base);
  try {
    await admin.query(`create database if not exists ${BENCH_DATABASE}`).catch(() => undefined);
    const [rows] = await admin.query('show databases like ?', [BENCH_DATABASE]);
    return rows.length > 0 ? withDatabase(base, BENCH_DATABASE) : base;
  } finally {
    await admin.end();
  }
}

/**
 * A fresh namespace on `kind` for one run: `{ kind, url?, schema?, tablePrefix?, path?, dir? }`,
 * plain JSON so it can be passed to other processes. `tag` starts its name.
 */
export async function createNamespace(kind, tag) {
  const name = freshName(tag);
  if (kind === 'memory') return { kind };
  if (kind === 'sqlite') {
    driver('better-sqlite3');
    const dir = mkdtempSync(join(tmpdir(), 'timetable-bench-'));
    return { kind, dir, path: join(dir, 'jobs.db') };
  }
  const url = await benchUrl(kind);
  if (kind === 'postgres') return { kind, url, schema: name, tablePrefix: 'tt_' };
  return { kind, url, tablePrefix: `${name}_` };
}

/** Drops what a namespace made (schema, tables or file). Never throws. */
export async function dropNamespace(ns) {
  try {
    if (ns.kind === 'sqlite') rmSync(ns.dir, { recursive: true, force: true });
    if (ns.kind === 'postgres') {
      const admin = await pgAdmin(ns.url);
      try {
        // Partitions first, a few per transaction: pg-boss makes one per queue, and dropping
        // 1,000 tables at once takes more locks than a transaction may hold by default.
        const { rows } = await admin.query(
          `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relispartition and c.relkind = 'r'`,
          [ns.schema],
        );
        for (let k = 0; k < rows.length; k += 50) {
          const names = rows.slice(k, k + 50).map(({ relname }) => `"${ns.schema}"."${relname.replaceAll('"', '""')}"`);
          await admin.query(`drop table if exists ${names.join(', ')} cascade`);
        }
        await admin.query(`drop schema if exists "${ns.schema}" cascade`);
      } finally {
        await admin.end();
      }
    }
    if (ns.kind === 'mysql') {
      const admin = await mysqlAdmin(ns.url);
      try {
        for (const table of ['runs', 'jobs', 'meta']) await admin.query(`drop table if exists \`${ns.tablePrefix}${table}\``);
      } finally {
        await admin.end();
      }
    }
  } catch (error) {
    console.error(`could not drop ${JSON.stringify(ns)}: ${error.message}`);
  }
}

/** A new timetable store on a namespace (`null` for memory: the scheduler's default). */
export async function openStore(ns, options = {}) {
  if (ns.kind === 'memory') return null;
  if (ns.kind === 'sqlite') {
    const { SqliteJobStore } = await import('../../dist/stores/sqlite.js');
    return new SqliteJobStore({ path: ns.path }, options);
  }
  if (ns.kind === 'postgres') {
    const { PostgresJobStore } = await import('../../dist/stores/postgres.js');
    return new PostgresJobStore({ connectionString: ns.url }, { schema: ns.schema, tablePrefix: ns.tablePrefix, ...options });
  }
  const { MysqlJobStore } = await import('../../dist/stores/mysql.js');
  return new MysqlJobStore({ uri: ns.url }, { tablePrefix: ns.tablePrefix, ...options });
}

/**
 * Counts the statements this process sends to `kind`'s database, by wrapping the driver's
 * function every statement goes through: pg `Client#query`, mysql2 `Connection#query` and
 * `#execute`, better-sqlite3 `Statement#run/get/all/iterate` and `Database#exec` (BEGIN, COMMIT
 * and the like included: each is one statement). Admin connections of this module are not
 * counted. Returns the live counter `{ statements }`, or `null` for the memory store.
 */
export function countStatements(kind) {
  const counter = { statements: 0 };
  const wrap = (proto, method) => {
    const original = proto[method];
    proto[method] = function counted(...args) {
      if (!this.benchUncounted) counter.statements++;
      return original.apply(this, args);
    };
  };
  if (kind === 'postgres') wrap(driver('pg').Client.prototype, 'query');
  else if (kind === 'mysql') {
    let proto = driver('mysql2').Connection.prototype;
    while (proto && !Object.hasOwn(proto, 'query')) proto = Object.getPrototypeOf(proto);
    wrap(proto, 'query');
    wrap(proto, 'execute');
  } else if (kind === 'sqlite') {
    const Database = driver('better-sqlite3');
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('select 1'));
    probe.close();
    for (const method of ['run', 'get', 'all', 'iterate']) wrap(statement, method);
    wrap(Database.prototype, 'exec');
  } else return null;
  return counter;
}

/** The pids of the running processes named one of `names`. */
function pidsNamed(names) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU time (µs) in `/proc/<path>/stat`: utime + stime, plus the reaped children's with
 * `children` (PostgreSQL's postmaster reaps its backends, so the time of a backend that exits
 * between two readings stays counted); `null` when the process or thread is gone.
 */
function statCpuUs(path, children = false) {
  try {
    const stat = readFileSync(`/proc/${path}/stat`, 'utf8');
    // utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after the command
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks * CLOCK_TICK_US;
  } catch {
    return null;
  }
}

/** Whether the server of `url` runs on this machine (its processes' CPU time can be read). */
function isLocal(url) {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

/**
 * Readings of the database server around a window, `{ version, local, read(), diff(a, b),
 * close() }`:
 *
 * - `ownCpuUs`: CPU time of the server work done for the suite's own connections: PostgreSQL
 *   backends connected to the suite's database (`pg_stat_activity`, one process each), MariaDB
 *   threads serving connections to it (`information_schema.PROCESSLIST.TID`, one thread each),
 *   the probe's own connection left out. They are sampled every second while the probe runs, so
 *   a connection that closes keeps its time up to its last sample. Background work (WAL writer,
 *   checkpointer, InnoDB's I/O and purge threads) is not in it.
 * - `allCpuUs`: every process of the server (`postgres`, `mariadbd`/`mysqld`), background work
 *   included, but also the work of every other client of the server.
 * - `othersWork`: how busy the other clients were: PostgreSQL transactions in other databases,
 *   MySQL statements (`Questions`) not sent by this process (`ownStatements` given to `diff`).
 *
 * CPU times are `null` when the server is not on this machine. Only PostgreSQL and MySQL.
 */
export async function serverProbe(ns) {
  if (ns.kind === 'memory' || ns.kind === 'sqlite') return null;
  const names = SERVER_PROCESSES[ns.kind];
  const serverPids = pidsNamed(names);
  const local = isLocal(ns.url) && serverPids.length > 0;
  const postgres = ns.kind === 'postgres';
  const admin = postgres ? await pgAdmin(ns.url) : await mysqlAdmin(ns.url);
  const query = async (text) => (postgres ? (await admin.query(text)).rows : (await admin.query(text))[0]);
  const version = postgres
    ? `PostgreSQL ${(await query('show server_version'))[0].server_version.split(' ')[0]}`
    : (await query('select version() as v'))[0].v.replace(/^([\d.]+)-MariaDB.*$/, 'MariaDB $1');
  // pid or tid -> { base, last }: CPU when first seen (0 for a PostgreSQL backend, which starts
  // with the connection; a MariaDB thread may come from the thread cache) and at the last sample.
  const own = new Map();
  const mysqlPid = postgres ? null : serverPids[0];
  const sample = async () => {
    if (!local) return;
    const rows = postgres
      ? await query('select pid as id from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')
      : await query('select TID as id from information_schema.PROCESSLIST where DB = database() and ID <> connection_id()');
    for (const { id } of rows) {
      const cpu = statCpuUs(postgres ? `${id}` : `${mysqlPid}/task/${id}`);
      if (cpu === null) continue;
      const seen = own.get(id);
      if (seen === undefined) own.set(id, { base: postgres ? 0 : cpu, last: cpu });
      else seen.last = cpu;
    }
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch(() => undefined);
  }, 1000);
  const counters = async () => {
    if (postgres) {
      const [row] = await query(
        `select coalesce(sum(xact_commit + xact_rollback) filter (where datname <> current_database()), 0)::bigint as others
           from pg_stat_database`,
      );
      return { otherTransactions: Number(row.others) };
    }
    return { questions: Number((await query("show global status like 'Questions'"))[0].Value) };
  };
  await sample();
  return {
    version,
    local,
    async read() {
      await (sampling = sampling.then(sample).catch(() => undefined));
      let ownCpuUs = 0;
      for (const { base, last } of own.values()) ownCpuUs += last - base;
      let allCpuUs = 0;
      for (const pid of local ? pidsNamed(names) : []) allCpuUs += statCpuUs(`${pid}`, true) ?? 0;
      return { ...(await counters()), ownCpuUs: local ? ownCpuUs : null, allCpuUs: local ? allCpuUs : null };
    },
    /** Totals between two readings; `ownStatements`: what this process sent meanwhile (MySQL). */
    diff(a, b, ownStatements = 0) {
      const minus = (key) => (a[key] === null ? null : b[key] - a[key]);
      return {
        ownCpuUs: minus('ownCpuUs'),
        allCpuUs: minus('allCpuUs'),
        // The probe's own `show global status` counts once.
        othersWork: postgres ? minus('otherTransactions') : Math.max(0, minus('questions') - 1 - ownStatements),
        othersWorkUnit: postgres ? 'transactions in other databases' : 'statements of other clients',
      };
    },
    async close() {
      clearInterval(timer);
      await sampling;
      await admin.end();
    },
  };
}

/**
 * Who holds what in a shared store's tables (W6 picks the node to kill and sees what it held),
 * on a connection of its own (a read-only one for SQLite):
 *
 * - `holders(nowMs)` → `[{ owner, n, due }]`: lease owners (`<identity>#<pass>`), how many jobs
 *   each holds, and the earliest next run time among them;
 * - `heldBy(identity, nowMs)` → `{ jobs: [{ id, due }], runs: [{ jobId, slot }] }`: the jobs a
 *   node holds leases on (`due`: the slot they are at) and its runs in flight.
 */
export async function leaseReader(ns) {
  const prefix = ns.tablePrefix ?? 'timetable_';
  const table = (name) => (ns.kind === 'postgres' ? `"${ns.schema}"."${prefix}${name}"` : ns.kind === 'mysql' ? `\`${prefix}${name}\`` : `"${prefix}${name}"`);
  const texts = {
    holders: `select lease_owner as owner, count(*) as n, min(next_run_ms) as due from ${table('jobs')} where lease_until > ? group by lease_owner`,
    jobs: `select id, next_run_ms as due from ${table('jobs')} where lease_until > ? and lease_owner like ?`,
    runs: `select job_id as "jobId", scheduled_run_time as slot from ${table('runs')} where node = ?`,
  };
  if (ns.kind === 'mysql') texts.runs = texts.runs.replace('"jobId"', '`jobId`');
  let run;
  let close;
  if (ns.kind === 'sqlite') {
    const Database = driver('better-sqlite3');
    const db = new Database(ns.path, { readonly: true, fileMustExist: true });
    const statements = Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, db.prepare(text)]));
    run = async (key, params) => statements[key].all(...params);
    close = async () => db.close();
  } else if (ns.kind === 'postgres') {
    const admin = await pgAdmin(ns.url);
    const numbered = (text) => {
      let k = 0;
      return text.replace(/\?/g, () => `$${++k}`);
    };
    run = async (key, params) => (await admin.query(numbered(texts[key]), params)).rows;
    close = () => admin.end();
  } else {
    const admin = await mysqlAdmin(ns.url);
    run = async (key, params) => (await admin.query(texts[key], params))[0];
    close = () => admin.end();
  }
  return {
    holders: async (now) => (await run('holders', [now])).map(({ owner, n, due }) => ({ owner, n: Number(n), due: Number(due) })),
    heldBy: async (identity, now) => ({
      jobs: (await run('jobs', [now, `${identity}#%`])).map(({ id, due }) => ({ id, due: Number(due) })),
      runs: (await run('runs', [identity])).map(({ jobId, slot }) => ({ jobId, slot: Date.parse(slot) })),
    }),
    close,
  };
}
