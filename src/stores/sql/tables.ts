/**
 * The tables of the SQL stores, as Kysely sees them, and their names under a table prefix.
 *
 * Three tables, each named `<tablePrefix><name>`:
 * - `jobs`: one row per job: the record as JSON (`data`) next to the columns the database
 *   orders, compares and locks by (next run time as epoch ms, the lease);
 * - `runs`: the runs in flight of every scheduler sharing the store (SharedRuns);
 * - `meta`: the schema version (`name = 'schema_version'`).
 *
 * @internal
 * @module
 */
import type { ColumnType } from 'kysely';

/**
 * A BIGINT column. Instants are epoch milliseconds, well inside 2^53; pg returns BIGINT as a
 * string and mysql2 may too (with `bigNumberStrings`), so every read goes through `Number()`.
 */
type BigIntColumn = ColumnType<number | string | bigint, number, number>;
/** A nullable BIGINT column. */
type NullableBigIntColumn = ColumnType<number | string | bigint | null, number | null, number | null>;

/** A row of the jobs table. */
export interface JobsTable {
  /** SHA-256 of `id` (hex): the primary key, so ids of any length and content fit every database. */
  id_hash: string;
  /** The job id as given. */
  id: string;
  /**
   * The record as last written by `addJob`/`updateJob` (`JSON.stringify`). Its `nextRunTime` and
   * `version` are replaced on read by the columns below, which releases change without rewriting
   * the JSON.
   */
  data: string;
  /** SHA-256 of the trigger spec's JSON: a release notices a trigger changed during its lease. */
  trigger_hash: string;
  /** The record's `nextRunTime` exactly as written; `NULL` while paused. */
  next_run_time: string | null;
  /** `next_run_time` as epoch ms: what the database orders and compares. */
  next_run_ms: NullableBigIntColumn;
  /** The record's `version`. */
  version: BigIntColumn;
  /** Who holds the lease (`<identity>#<pass>`), or `NULL`. */
  lease_owner: string | null;
  /** When the lease ends (epoch ms, exclusive), or `NULL` when not leased. */
  lease_until: NullableBigIntColumn;
  /** `trigger_hash` when the lease was taken. */
  lease_trigger_hash: string | null;
}

/** A row of the runs table: a run in flight. */
export interface RunsTable {
  /** The run's id (a UUID from the scheduler). */
  run_id: string;
  /** SHA-256 of the job id (as `jobs.id_hash`). */
  job_hash: string;
  /** The job id. */
  job_id: string;
  /** The scheduler that started it (its identity). */
  node: string;
  /** The slot it runs for, ISO-8601 as given. */
  scheduled_run_time: string;
  /** When its lease ends (epoch ms) unless extended. */
  lease_until: BigIntColumn;
  /** When it was recorded, ISO-8601 as given. */
  started_at: string;
}

/** A row of the meta table. */
export interface MetaTable {
  /** A setting's name: `schema_version`. */
  name: string;
  /** Its value, as text. */
  value: string;
}

/** The store's tables under their logical names. */
export interface Tables {
  jobs: JobsTable;
  runs: RunsTable;
  meta: MetaTable;
}

/**
 * The real table names under a prefix, typed as the logical names so that Kysely's typed
 * builder checks every column. Queries use these names unqualified (never `jobs.column`), so the
 * logical name never reaches the SQL.
 */
export interface TableNames {
  readonly jobs: 'jobs';
  readonly runs: 'runs';
  readonly meta: 'meta';
}

/** The table names for a prefix (already validated). */
export function tableNames(prefix: string): TableNames {
  return { jobs: `${prefix}jobs`, runs: `${prefix}runs`, meta: `${prefix}meta` } as unknown as TableNames;
}

/** The names of the indexes: index names are per schema on PostgreSQL and per file on SQLite. */
export function indexNames(prefix: string): { jobsLease: string; runsJob: string; runsLease: string } {
  return { jobsLease: `${prefix}jobs_lease`, runsJob: `${prefix}runs_job`, runsLease: `${prefix}runs_lease` };
}

/** The `name` of the schema-version row in the meta table. */
export const SCHEMA_VERSION_KEY = 'schema_version';
