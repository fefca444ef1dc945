import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The dependency picture of src/: only scheduler/ knows all parts, and no folder below it imports
// from it (or from the express adapter). Read from the import statements, so a new import that
// breaks the layering fails here rather than in a review.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The top-level folder of a file under src/ (`.` for files directly in src/). */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '.' : (parts[0] as string);
}

/** Edges between top-level folders, with one importing file each, as `from -> to`. */
function folderEdges(): Map<string, string> {
  const edges = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gm)) {
      const target = resolve(dirname(file), match[1] as string);
      const [from, to] = [folderOf(file), folderOf(target)];
      if (from !== to) edges.set(`${from} -> ${to}`, relative(SRC, file));
    }
  }
  return edges;
}

describe('layering of src/', () => {
  const edges = folderEdges();

  it('sees the imports it checks (the scheduler imports stores, triggers and executors)', () => {
    for (const edge of ['scheduler -> stores', 'scheduler -> triggers', 'scheduler -> executors']) {
      expect(edges.has(edge), edge).toBe(true);
    }
  });

  it.each(['clock', 'events', 'executors', 'internal', 'stores', 'testing', 'triggers'])(
    '%s/ imports nothing from scheduler/ or express/',
    (folder) => {
      const upward = [...edges].filter(([edge]) => edge === `${folder} -> scheduler` || edge === `${folder} -> express`);
      expect(upward).toEqual([]);
    },
  );

  it('has no cycle between top-level folders (files directly in src/ other than index.ts count as a folder)', () => {
    // index.ts re-exports everything; it is the root, not a layer.
    const graph = new Map<string, Set<string>>();
    for (const [edge, file] of edges) {
      if (file === 'index.ts') continue;
      const [from, to] = edge.split(' -> ') as [string, string];
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
