// Loads the TypeScript task module through tsx inside each worker thread: worker threads do
// not inherit the loader of the main thread on Node 20. The tasks are the functions of the
// default export.
import { tsImport } from 'tsx/esm/api';

export default await tsImport('./report-tasks.ts', import.meta.url);
