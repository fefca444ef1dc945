import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Runs a fixture with tsx; resolves with its exit code and output, or rejects after `limitMs`. */
function runChild(name: string, limitMs: number, onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture(name)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not exit within ${limitMs} ms; output:\n${output}`));
    }, limitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line) onLine?.(line, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(limit);
      resolve({ code, output });
    });
  });
}

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
