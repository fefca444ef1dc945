/**
 * An Express app with the scheduler's router, a dashboard's live-update stream and a keep-alive
 * connection open, exits by itself on SIGTERM with the documented shutdown recipe (a child
 * process; bounded in time, only the child this test started is killed).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const AUTH = { Authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };
/** Generous for a loaded CI machine; an app that hangs would never exit. */
const EXIT_LIMIT_MS = 10_000;

let child: ReturnType<typeof spawn> | null = null;
afterEach(() => {
  if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

describe('an app on the scheduler router, on SIGTERM', () => {
  it('exits by itself with the dashboard connected: the event stream ends with the shutdown', async () => {
    const app = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/express-app.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child = app;
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /listening (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      app.stdout?.on('data', onData);
      app.stderr?.on('data', onData);
      app.once('exit', () => reject(new Error(`the app exited before listening:\n${output}`)));
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      app.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const base = `http://127.0.0.1:${port}/scheduler`;
    // The dashboard: its page (a keep-alive connection) and its live-update stream.
    expect((await fetch(`${base}/dashboard`, { headers: AUTH })).status).toBe(200);
    const stream = await fetch(`${base}/events`, { headers: AUTH });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while (!received.includes('event: hello')) received += (await reader.read()).value ?? '';
    const streamEnded = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return received;
        received += value;
      }
    })();

    app.kill('SIGTERM');
    const limit = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), EXIT_LIMIT_MS).unref());
    const result = await Promise.race([exited, limit]);
    expect(result, `the app did not exit within ${EXIT_LIMIT_MS} ms:\n${output}`).toEqual({ code: 0, signal: null });
    expect(output).toContain('shut down');
    expect(await streamEnded).toContain('event: scheduler:shutdown');
  }, 30_000);
});
