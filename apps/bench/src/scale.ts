import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tsxLoader } from './runBench';
import type { ScaleJob } from './scaleChild';

/** Synthetic shapes for the scaling table: 10⁵, 10⁶, 10⁷ interactions (density falls as it grows). */
export const SCALE_SIZES: Record<string, ScaleJob['synthetic']> = {
  '1e5': { nUsers: 5_000, nItems: 2_000, nInteractions: 100_000, seed: 1 },
  '1e6': { nUsers: 25_000, nItems: 10_000, nInteractions: 1_000_000, seed: 1 },
  '1e7': { nUsers: 100_000, nItems: 20_000, nInteractions: 10_000_000, seed: 1 },
};

export interface ScaleCell {
  model: string;
  size: string;
  status: 'ok' | 'timeout' | 'error';
  fitSeconds?: number;
  peakRssMb?: number;
  dataRssMb?: number;
  reason?: string;
  info?: Record<string, unknown>;
}

export function runScaleCell(job: ScaleJob, size: string, timeoutSeconds: number): Promise<ScaleCell> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(new URL('./scaleChild.ts', import.meta.url)), [], {
      execArgv: ['--import', tsxLoader(), '--max-old-space-size=20000'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let done = false;
    const finish = (cell: ScaleCell) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(cell);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ model: job.model, size, status: 'timeout', reason: `fit did not finish within ${timeoutSeconds} s` });
    }, timeoutSeconds * 1000);
    child.on('message', (msg: { result?: Omit<ScaleCell, 'model' | 'size' | 'status'>; error?: string }) => {
      if (msg.result) finish({ model: job.model, size, status: 'ok', ...msg.result });
      if (msg.error) finish({ model: job.model, size, status: 'error', reason: msg.error });
    });
    child.on('exit', (code, signal) =>
      finish({ model: job.model, size, status: 'error', reason: `child exited (code ${code}, signal ${signal}): likely out of memory` }),
    );
    child.send(job);
  });
}

export function renderScaleTable(cells: ScaleCell[], sizes: string[]): string {
  const models = [...new Set(cells.map((c) => c.model))];
  const head = `| model | ${sizes.map((s) => `${s} fit s`).join(' | ')} | ${sizes.map((s) => `${s} peak MB`).join(' | ')} |`;
  const sep = `| --- | ${sizes.map(() => '---:').join(' | ')} | ${sizes.map(() => '---:').join(' | ')} |`;
  const rows = models.map((m) => {
    const get = (s: string) => cells.find((c) => c.model === m && c.size === s);
    const fit = sizes.map((s) => {
      const c = get(s);
      return !c ? '–' : c.status === 'ok' ? c.fitSeconds!.toFixed(2) : `${c.status}`;
    });
    const mem = sizes.map((s) => {
      const c = get(s);
      return c?.status === 'ok' ? c.peakRssMb!.toFixed(0) : '–';
    });
    return `| ${m} | ${fit.join(' | ')} | ${mem.join(' | ')} |`;
  });
  const notes = cells
    .filter((c) => c.status !== 'ok')
    .map((c) => `- ${c.model} @ ${c.size}: ${c.status}: ${c.reason}`);
  return [head, sep, ...rows, '', ...notes].join('\n');
}
