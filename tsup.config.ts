import { defineConfig } from 'tsup';

// One entry per subpath export. ESM output shares chunks between entries; CJS output is not
// code-split, so subpath entries must import core by type only (see src/testing).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'express/index': 'src/express/index.ts',
  },
  // valibot validates request bodies in timetable/express: bundled, so users need not install it
  // (none of its types are public).
  noExternal: ['valibot'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
