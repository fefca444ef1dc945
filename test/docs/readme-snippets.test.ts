/**
 * The TypeScript blocks of the README and the guides type-check as written: each block is a
 * module of its own (it must import and define every name it uses), compiled against the
 * sources under the package's public names (`timetable`, `timetable/express`, ...), strict.
 * A block fenced as `ts` or `typescript` is checked; other fences (`sh`, `js`, `json`, `http`,
 * `text`) are not TypeScript. A block whose first line is `// <name>.ts` is that file, and the
 * other blocks of its document may import it (`./<name>.js`). A block fenced `ts excerpt` is
 * an excerpt that needs files outside the docs (it says which) and is not checked.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DOCUMENTS = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
/** The package's public entries, as the sources. */
const PATHS: Record<string, string[]> = {
  timetable: ['src/index.ts'],
  'timetable/testing': ['src/testing/index.ts'],
  'timetable/express': ['src/express/index.ts'],
  'timetable/stores/sqlite': ['src/stores/sqlite.ts'],
  'timetable/stores/postgres': ['src/stores/postgres.ts'],
  'timetable/stores/mysql': ['src/stores/mysql.ts'],
  'timetable/executors/worker': ['src/executors/worker/index.ts'],
};

interface Block {
  document: string;
  line: number;
  code: string;
  /** The file name its first line gives (`// reports.ts`), if any. */
  name: string | null;
}

/** The `ts` / `typescript` fenced blocks of a Markdown document, with the line each starts on. */
function blocks(document: string): Block[] {
  const lines = readFileSync(join(root, document), 'utf8').split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] as string).startsWith('```')) end++;
    const name = /^\/\/ ([\w.-]+\.ts)$/.exec(lines[start] ?? '')?.[1] ?? null;
    found.push({ document, line: start + 1, code: lines.slice(start, end).join('\n'), name });
    i = end;
  }
  return found;
}

// Inside the repository, so that the blocks' own imports (vitest, express) resolve as in a project.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules/.cache/timetable-doc-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TypeScript blocks of the docs', () => {
  const all = DOCUMENTS.flatMap(blocks);

  it('finds the blocks (a fence that stops matching would check nothing)', () => {
    expect(all.filter((block) => block.document === 'README.md').length).toBeGreaterThanOrEqual(4);
  });

  it('type-check as written, each as a module of its own', () => {
    const files = all.map((block, index) => {
      const folder = join(dir, block.document.replace(/\W/g, '_'));
      mkdirSync(folder, { recursive: true });
      const file = join(folder, block.name ?? `block_${block.line}_${index}.ts`);
      // `export {}` makes a block without imports a module too, so blocks never share names.
      writeFileSync(file, `${block.code}\nexport {};\n`);
      return { file, block };
    });
    const program = ts.createProgram(
      files.map(({ file }) => file),
      {
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts'],
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        allowImportingTsExtensions: true,
        baseUrl: root,
        paths: PATHS,
      },
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file === undefined || files.some(({ file }) => file === diagnostic.file?.fileName))
      .map((diagnostic) => {
        const where = files.find(({ file }) => file === diagnostic.file?.fileName);
        const { line } = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : { line: 0 };
        const at = where ? `${where.block.document}:${where.block.line + line}` : '(options)';
        return `${at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
