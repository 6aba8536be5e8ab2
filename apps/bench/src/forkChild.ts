import { fork } from 'node:child_process';

/** Resolved tsx loader for child processes that run TypeScript sources. */
export function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

/**
 * Runs one job in a fresh Node process on the TypeScript entry `entry` (so its peak RSS is
 * its own and a crash cannot spoil the others). The child answers over IPC with
 * `{ progress }` lines, then `{ [resultKey]: value }` or `{ error }`.
 */
export function runInTsChild<T>(
  entry: URL,
  job: object,
  resultKey: string,
  what: string,
  onProgress: (message: string) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, [], {
      execArgv: ['--import', tsxLoader(), '--max-old-space-size=16384'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.on('message', (msg: Record<string, unknown>) => {
      if (typeof msg.progress === 'string') onProgress(msg.progress);
      if (msg[resultKey] !== undefined) {
        settled = true;
        resolve(msg[resultKey] as T);
      }
      if (typeof msg.error === 'string') {
        settled = true;
        reject(new Error(`${what} failed in its child process:\n${msg.error}`));
      }
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`${what}: child process exited (code ${code}, signal ${signal}) without a result`));
    });
    child.send(job as Parameters<typeof child.send>[0]);
  });
}
