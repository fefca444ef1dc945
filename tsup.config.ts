import { copyFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// One entry per subpath export. ESM output shares chunks between entries; CJS output is not
// code-split, so subpath entries import core by type only (see src/testing), or at run time by
// the package's own name, `timetable` (kept external: Node resolves it to this package's main
// entry, so the stores share the one copy of core a user has loaded).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'express/index': 'src/express/index.ts',
    'stores/sqlite': 'src/stores/sqlite.ts',
    'stores/postgres': 'src/stores/postgres.ts',
    'stores/mysql': 'src/stores/mysql.ts',
    'stores/redis': 'src/stores/redis.ts',
    'executors/worker': 'src/executors/worker/index.ts',
  },
  // valibot validates request bodies in timetable/express: bundled, so users need not install it
  // (none of its types are public).
  // Kysely is bundled into the SQL stores the same way: users install only their database driver.
  noExternal: ['valibot', 'kysely'],
  external: ['timetable'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // That code is plain JavaScript loaded by Node itself in each thread, beside the entry.
  async onSuccess() {
    await copyFile('src/executors/worker/worker-entry.cjs', 'dist/executors/worker-entry.cjs');
  },
});
