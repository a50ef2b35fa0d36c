import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './app-process.js';

export interface ScriptRun {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunScriptOptions {
  env?: Record<string, string>;
  /** SIGKILL after this long (a bound, not an expectation). */
  timeoutMs?: number;
  /** Send SIGINT after this long, as Ctrl-C would (for `--watch`). */
  interruptAfterMs?: number;
  /** Send SIGINT (once) as soon as the output so far satisfies this. */
  interruptWhen?: (stdout: string) => boolean;
}

/** Runs `node scripts/<name> ...args` with stdout and stderr piped, as a user piping its output would. */
export function runScript(name: string, args: readonly string[], options: RunScriptOptions = {}): Promise<ScriptRun> {
  return new Promise<ScriptRun>((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', name), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && options.interruptWhen?.(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    const interrupt = options.interruptAfterMs ? setTimeout(() => child.kill('SIGINT'), options.interruptAfterMs) : undefined;
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(kill);
      clearTimeout(interrupt);
      resolve({ code, stdout, stderr });
    });
  });
}
