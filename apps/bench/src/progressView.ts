import type { ProgressEvent, ProgressListener } from '@musicrec/core';
import cliProgress from 'cli-progress';

/**
 * Progress for long steps: a live bar on a terminal, plain timestamped lines otherwise
 * (CI logs), so a run is never silent.
 */
export class ProgressView {
  private bar: cliProgress.SingleBar | null = null;
  private readonly tty = Boolean(process.stderr.isTTY);

  start(title: string, total: number): void {
    this.stop();
    if (this.tty) {
      this.bar = new cliProgress.SingleBar(
        { format: `${title} [{bar}] {value}/{total} {step}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { step: '' });
    } else {
      this.line(`${title}: ${total} steps`);
    }
  }

  update(value: number, step: string): void {
    if (this.bar) this.bar.update(value, { step: step.slice(0, 80) });
    else this.line(`  [${value}] ${step}`);
  }

  /** A detail line: on a terminal only shown in the bar's step text, always logged otherwise. */
  detail(message: string): void {
    if (this.bar) this.bar.update({ step: message.trim().slice(0, 80) });
    else this.line(`    ${message}`);
  }

  /** Renders core progress events (downloads in bytes, parse steps) as a bar per stage. */
  listener(): ProgressListener {
    let stage = '';
    let lastLogged = 0;
    return (e: ProgressEvent) => {
      if (e.stage !== stage) {
        stage = e.stage;
        lastLogged = 0;
        this.start(e.stage, e.total);
      }
      // on a terminal every event moves the bar; in logs, at most ten lines per stage
      if (this.bar || e.current === e.total || e.current - lastLogged >= e.total / 10) {
        lastLogged = e.current;
        this.update(e.current, e.message ?? '');
      }
      if (e.current >= e.total) this.stop();
    };
  }

  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }

  line(message: string): void {
    const t = new Date().toISOString().slice(11, 19);
    process.stderr.write(`${t} ${message}\n`);
  }
}
