/**
 * Database servers and scratch space for the store tests.
 *
 * - URLs: `TIMETABLE_PG_URL` and `TIMETABLE_MYSQL_URL` (defaults: the local servers, trust or
 *   empty-password root).
 * - A test file probes its server once ({@link probe}); {@link describeWithServer} declares the
 *   file's suites only when it answers. Without it, the file skips with a message saying why,
 *   except with `CI=true`, where a missing server is a failure.
 * - Every test file works in its own PostgreSQL schema or MySQL database (`tt_<pid>_<random>`)
 *   or temporary directory, and drops it afterwards, so parallel runs never meet.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, it } from 'vitest';

/** The PostgreSQL server of the tests. */
export const PG_URL = process.env.TIMETABLE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The MySQL / MariaDB server of the tests. */
export const MYSQL_URL = process.env.TIMETABLE_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Whether a server answered, and if not, why. */
export interface Probe {
  ok: boolean;
  reason: string;
}

/** A fresh name for a schema, database or prefix: `tt_<pid>_<random>`. */
export function scratchName(): string {
  return `tt_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Connects once to `kind`'s server (3 s at most). */
export async function probe(kind: 'postgres' | 'mysql'): Promise<Probe> {
  try {
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
      await client.connect();
      await client.end();
    } else {
      const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3_000 });
      await connection.end();
    }
    return { ok: true, reason: '' };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String(error) };
  }
}

/**
 * Declares `body` when the server answered; otherwise one failing test under CI, or a skipped
 * suite that says why.
 */
export function describeWithServer(name: string, server: Probe, body: () => void): void {
  if (server.ok) {
    body();
    return;
  }
  const why = `${name} is not reachable (${server.reason}); start it or point the test at one with the URL variable`;
  const ci = process.env.CI;
  if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') {
    describe(name, () => {
      it('has its database server (CI=true: a missing server fails)', () => {
        throw new Error(why);
      });
    });
  } else {
    console.warn(`[timetable tests] skipping the ${name} store tests: ${why}`);
    describe.skip(`${name}: skipped, ${why}`, () => {
      it('skipped', () => undefined);
    });
  }
}

/** `url` with another database (the path). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A PostgreSQL schema for one test file, and an admin pool on the server. */
export interface PgScratch {
  schema: string;
  admin: pg.Pool;
  drop(): Promise<void>;
}

/** Creates a fresh schema; `drop()` removes it with everything in it and ends the admin pool. */
export async function pgScratch(): Promise<PgScratch> {
  const schema = scratchName();
  const admin = new pg.Pool({ connectionString: PG_URL, max: 3 });
  admin.on('error', () => undefined);
  await admin.query(`CREATE SCHEMA "${schema}"`);
  return {
    schema,
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** A MySQL database for one test file, its URL, and an admin pool on it. */
export interface MysqlScratch {
  database: string;
  url: string;
  admin: mysql.Pool;
  drop(): Promise<void>;
}

/** Creates a fresh database; `drop()` removes it and ends the admin pool. */
export async function mysqlScratch(): Promise<MysqlScratch> {
  const database = scratchName();
  const root = await mysql.createConnection({ uri: MYSQL_URL });
  await root.query(`CREATE DATABASE \`${database}\``);
  await root.end();
  const url = withDatabase(MYSQL_URL, database);
  const admin = mysql.createPool({ uri: url, connectionLimit: 3 });
  return {
    database,
    url,
    admin,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

/** A temporary directory for SQLite files; `drop()` removes it. */
export function sqliteScratch(): { dir: string; file(name: string): string; drop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'timetable-sqlite-'));
  return {
    dir,
    file: (name) => join(dir, name),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
}
