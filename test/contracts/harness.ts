/**
 * The per-test harness of the persistence and shared-runs parts of the store contract: sets up a
 * fixture, starts its store, opens and starts more instances on the same database on demand,
 * and shuts everything down afterwards. A test whose store lacks what it was declared to have
 * fails, saying what is missing.
 *
 * @module
 */
import { afterEach, beforeEach } from 'vitest';
import type { JobStore } from '../../src/stores/job-store.js';
import type { SharedJobStore } from '../../src/stores/runs.js';
import { sharedRuns } from '../../src/scheduler/shared-runs.js';
import type { JobStoreFixture } from './job-store.contract.js';
import { contractContext } from './job-store.contract.js';

/** Whether a store implements SharedRuns (all four methods), as the scheduler decides it. */
export function isShared(store: JobStore): store is SharedJobStore {
  return sharedRuns(store) !== null;
}

/** What a test gets: the started store, and more started instances on its database. */
export interface Harness {
  /** The fixture's store, started. */
  readonly store: JobStore;
  /** The fixture's store as a shared store (the shared-runs part only runs when it is one). */
  readonly shared: SharedJobStore;
  /** Opens and starts another instance on the same database (shut down after the test). */
  open(): Promise<JobStore>;
  /** Opens another instance as a shared store. */
  openShared(): Promise<SharedJobStore>;
  /** Shuts `store` down and opens a new instance in its place (the old one is not used again). */
  reopen(): Promise<JobStore>;
}

/**
 * Declares the harness's hooks in the current `describe`.
 *
 * @param needs - `'open'`: the fixture must offer `open()`; `'shared'`: also SharedRuns
 */
export function useHarness(setup: () => Promise<JobStoreFixture>, needs: 'open' | 'shared'): Harness {
  let fixture: JobStoreFixture | undefined;
  let current: JobStore | undefined;
  const started: JobStore[] = [];
  const startOne = async (store: JobStore): Promise<JobStore> => {
    await store.start?.(contractContext());
    started.push(store);
    return store;
  };
  beforeEach(async () => {
    fixture = await setup();
    const missing =
      fixture.open === undefined
        ? 'the store has no open(): it is not persistent'
        : needs === 'shared' && !isShared(fixture.store)
          ? 'the store does not implement SharedRuns'
          : null;
    if (missing !== null) {
      await fixture.teardown?.();
      fixture = undefined;
      throw new Error(`the store was declared to have this part of the contract, but ${missing}`);
    }
    current = await startOne(fixture.store);
  });
  afterEach(async () => {
    for (const store of started.splice(0).reverse()) await store.shutdown?.();
    await fixture?.teardown?.();
    fixture = undefined;
    current = undefined;
  });
  const open = async (): Promise<JobStore> => startOne(await (fixture as JobStoreFixture).open!());
  return {
    get store() {
      return current as JobStore;
    },
    get shared() {
      return current as SharedJobStore;
    },
    open,
    openShared: async () => (await open()) as SharedJobStore,
    async reopen() {
      const old = current as JobStore;
      await old.shutdown?.();
      started.splice(started.indexOf(old), 1);
      current = await open();
      return current;
    },
  };
}

/** Rejects with a library error carrying `code` (checked by code, not class). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/**
 * What building something throws, as `{ code, field }` (an argument error names its field), or
 * `'no error'`.
 */
export function fieldAtFault(make: () => unknown): { code: unknown; field: unknown } | 'no error' {
  try {
    make();
    return 'no error';
  } catch (error) {
    const { code, field } = error as { code?: unknown; field?: unknown };
    return { code, field };
  }
}
