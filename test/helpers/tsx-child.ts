/**
 * Runs a TypeScript script in a child process (Node with tsx), bounded in time: a child still
 * running at the bound is killed with SIGKILL and the returned promise rejects with its output.
 * Only the child started here is ever killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** How a child ended and what it printed. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

export interface ChildOptions {
  /** The longest the child may run. */
  limitMs: number;
  /** Arguments after the script. */
  args?: string[];
  /** Holds the child while it runs, for a file's `afterAll` safety net. */
  live?: Set<ChildProcess>;
  /**
   * Called for every non-empty line of stdout (whole, also when it arrives in pieces), with a way
   * to signal the child.
   */
  onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void;
}

/** Runs `script` with tsx; resolves once the child has exited and its output is read. */
export function runTsx(script: string, { limitMs, args = [], live, onLine }: ChildOptions): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    live?.add(child);
    const end: ChildEnd = { code: null, signal: null, stdout: '', stderr: '', output: '' };
    /** The start of a line whose end has not arrived yet (a chunk may stop mid-line). */
    let partial = '';
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not exit within ${limitMs} ms; output:\n${end.output}`));
    }, limitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      end.stdout += text;
      end.output += text;
      if (onLine === undefined) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() as string;
      for (const line of lines) if (line) onLine(line, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      end.stderr += chunk.toString();
      end.output += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(limit);
      live?.delete(child);
      reject(error);
    });
    // 'close': the exit and the end of both output streams, so nothing printed last is missed.
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      live?.delete(child);
      if (partial && onLine) onLine(partial, () => undefined); // a last line without its newline
      resolve({ ...end, code, signal });
    });
  });
}
