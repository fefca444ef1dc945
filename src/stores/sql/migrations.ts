/**
 * The schema of the SQL stores as a list of versioned migrations, and the runner that brings a
 * database to the latest version in place when a store starts.
 *
 * The meta table holds the version (`schema_version`). A store that finds the latest version
 * does nothing else; otherwise it takes the database's schema lock (so several nodes starting at
 * once on an empty database create the tables once), reads the version again and applies the
 * migrations above it in order, writing the version after each. A database of a newer version
 * than this code knows is refused: an older node must not write to tables it does not know.
 *
 * @internal
 * @module
 */
import { StoreError } from 'timetable';
import type { Db, Ddl, SqlDialect } from './dialect.js';
import { indexNames, SCHEMA_VERSION_KEY, tableNames } from './tables.js';

/** One step of the schema. */
export interface Migration {
  /** The version the schema has after this step. */
  readonly version: number;
  /** What it adds. */
  readonly description: string;
  /** Applies it (idempotent DDL: on MySQL, DDL is not transactional). */
  up(db: Db, ddl: Ddl, prefix: string): Promise<void>;
}

/** Every schema version, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'jobs, with their leases',
    async up(db, ddl, prefix) {
      const t = tableNames(prefix);
      await db.schema
        .createTable(t.jobs)
        .ifNotExists()
        .addColumn('id_hash', ddl.hash, (c) => c.primaryKey())
        .addColumn('id', ddl.idText, (c) => c.notNull())
        .addColumn('data', ddl.bigText, (c) => c.notNull())
        .addColumn('trigger_hash', ddl.hash, (c) => c.notNull())
        .addColumn('next_run_time', ddl.text)
        .addColumn('next_run_ms', ddl.bigint)
        .addColumn('version', ddl.bigint, (c) => c.notNull())
        .addColumn('lease_owner', ddl.text)
        .addColumn('lease_until', ddl.bigint)
        .addColumn('lease_trigger_hash', ddl.hash)
        .$call((qb) => (ddl.tableOptions === null ? qb : qb.modifyEnd(ddl.tableOptions)))
        .execute();
      // Serves the due-jobs query (lease_until IS NULL, by next_run_ms), the expired-lease scan
      // (lease_until <= now) and both halves of getNextRunTime.
      await ddl.createIndex(db, indexNames(prefix).jobsLease, t.jobs, ['lease_until', 'next_run_ms']);
    },
  },
  {
    version: 2,
    description: 'runs in flight, shared by the schedulers of the store',
    async up(db, ddl, prefix) {
      const t = tableNames(prefix);
      const names = indexNames(prefix);
      await db.schema
        .createTable(t.runs)
        .ifNotExists()
        .addColumn('run_id', ddl.keyText, (c) => c.primaryKey())
        .addColumn('job_hash', ddl.hash, (c) => c.notNull())
        .addColumn('job_id', ddl.idText, (c) => c.notNull())
        .addColumn('node', ddl.text, (c) => c.notNull())
        .addColumn('scheduled_run_time', ddl.text, (c) => c.notNull())
        .addColumn('lease_until', ddl.bigint, (c) => c.notNull())
        .addColumn('started_at', ddl.text, (c) => c.notNull())
        .$call((qb) => (ddl.tableOptions === null ? qb : qb.modifyEnd(ddl.tableOptions)))
        .execute();
      // Counting a job's runs in flight (maxInstances) and finding expired runs (reapRuns).
      await ddl.createIndex(db, names.runsJob, t.runs, ['job_hash', 'lease_until']);
      await ddl.createIndex(db, names.runsLease, t.runs, ['lease_until']);
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = (MIGRATIONS[MIGRATIONS.length - 1] as Migration).version;

/** The stored schema version, 0 when there is none. */
async function readVersion(db: Db, prefix: string): Promise<number> {
  const row = await db
    .selectFrom(tableNames(prefix).meta)
    .select('value')
    .where('name', '=', SCHEMA_VERSION_KEY)
    .executeTakeFirst();
  return row === undefined ? 0 : Number(row.value);
}

async function writeVersion(db: Db, prefix: string, version: number): Promise<void> {
  const meta = tableNames(prefix).meta;
  const updated = await db
    .updateTable(meta)
    .set({ value: String(version) })
    .where('name', '=', SCHEMA_VERSION_KEY)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto(meta).values({ name: SCHEMA_VERSION_KEY, value: String(version) }).execute();
  }
}

function tooNew(version: number, where: string): StoreError {
  return new StoreError(
    `the job store at ${where} has schema version ${version}, newer than this version of timetable knows (${SCHEMA_VERSION}): upgrade timetable on this node`,
  );
}

/**
 * Brings the store's tables to {@link SCHEMA_VERSION}.
 *
 * @param where - the store's description, for the error about a newer schema
 * @returns the version found before (0 for an empty database)
 */
export async function migrate(db: Db, dialect: SqlDialect, prefix: string, where: string): Promise<number> {
  // The common case without DDL or locks: a user without CREATE rights can run on tables an
  // administrator created.
  const found = await readVersion(db, prefix).catch(() => null);
  if (found === SCHEMA_VERSION) return found;
  if (found !== null && found > SCHEMA_VERSION) throw tooNew(found, where);
  return dialect.withSchemaLock(db, async (conn) => {
    await dialect.prepareSchema?.(conn);
    await conn.schema
      .createTable(tableNames(prefix).meta)
      .ifNotExists()
      .addColumn('name', dialect.ddl.keyText, (c) => c.primaryKey())
      .addColumn('value', dialect.ddl.text, (c) => c.notNull())
      .$call((qb) => (dialect.ddl.tableOptions === null ? qb : qb.modifyEnd(dialect.ddl.tableOptions)))
      .execute();
    const before = await readVersion(conn, prefix);
    if (before > SCHEMA_VERSION) throw tooNew(before, where);
    for (const migration of MIGRATIONS) {
      if (migration.version <= before) continue;
      await migration.up(conn, dialect.ddl, prefix);
      await writeVersion(conn, prefix, migration.version);
    }
    return before;
  });
}
