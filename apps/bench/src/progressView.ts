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
