import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths';

const MAIN = join(repoRoot(), 'apps/serve/src/main.ts');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** The startup lines it printed before serving. */
  lines: string[];
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real server as its own process: `node --import tsx main.ts ARGS`, one process (no tsx
 * wrapper), so a signal reaches the server itself. Resolves once it prints its "serving" line.
 */
export function spawnServer(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const lines: string[] = [];
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
      : new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /^serving (http:\/\/\S+)/.exec(line);
      if (m) resolve({ child, url: m[1], lines, exited });
    });
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before serving: ${stderr}`)));
  });
}
