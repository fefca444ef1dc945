import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTsx, type ChildOptions } from '../helpers/tsx-child.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Runs a fixture with tsx, bounded by `limitMs`; `onLine` sees each line it prints. */
const runChild = (name: string, limitMs: number, onLine?: ChildOptions['onLine']) =>
  runTsx(fixture(name), onLine === undefined ? { limitMs } : { limitMs, onLine });

describe('a real process', () => {
  it('exits by itself after shutdown, with long, jittered and timed-out jobs scheduled', async () => {
    const { code, output } = await runChild('exits-by-itself.ts', 15_000);
    expect(output).toContain('shut down after 2 runs');
    expect(code).toBe(0);
  });

  it('run() shuts down gracefully on SIGTERM, waiting for the running task', async () => {
    let signalled = false;
    const { code, output } = await runChild('run-until-signal.ts', 15_000, (line, kill) => {
      if (line === 'task started' && !signalled) {
        signalled = true;
        kill('SIGTERM');
      }
    });
    expect(output.split('\n').filter(Boolean)).toEqual(['ready', 'task started', 'task finished', 'run() resolved, state stopped']);
    expect(code).toBe(0);
  });
});
