/**
 * A one-line progress bar on stderr for training and the doctor, drawn only when
 * stderr is a terminal (so logs and CI output stay clean).
 * @internal
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #enabled: boolean;
  #last = '';

  constructor(stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true) {
    this.#stream = stream;
    this.#enabled = enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Redraws the bar: `label` then a bar for done/total and a free-form tail. */
  update(label: string, done: number, total: number, tail = ''): void {
    if (!this.#enabled) return;
    const width = 24;
    const frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    const full = Math.round(frac * width);
    const line = `${label} [${'='.repeat(full)}${full < width ? '>' : ''}${' '.repeat(Math.max(0, width - full - 1))}] ${String(Math.round(frac * 100)).padStart(3)}% ${tail}`;
    const cols = this.#stream.columns ?? 100;
    const text = line.length > cols - 1 ? line.slice(0, cols - 1) : line;
    if (text === this.#last) return;
    this.#last = text;
    this.#stream.write(`\r\x1b[2K${text}`);
  }

  /** Clears the bar (the next output starts on a clean line). */
  clear(): void {
    if (!this.#enabled || this.#last === '') return;
    this.#stream.write('\r\x1b[2K');
    this.#last = '';
  }
}

/** Seconds, human-readable. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}
