/** Where a progress bar draws; `process.stderr` by default. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  stream?: ProgressStream;
  /** Width of the bar in characters; default 28. */
  width?: number;
  /** On a non-TTY stream, print a line at most this often (ms); default 10000. */
  lineInterval?: number;
  /** Clock in ms, for tests; default `Date.now`. */
  now?: () => number;
}

/** A terminal progress bar with a rate and time left; plain lines when not on a terminal. */
export interface ProgressBar {
  /** Reports `done` of `total` units, with a free-text status after the bar. */
  update(done: number, total: number, status?: string): void;
  /** Draws the final state and moves to a new line. */
  finish(status?: string): void;
}

/** Formats seconds as `1h02m`, `3m05s` or `42s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Creates a progress bar labelled `label`: `label [#####.....] 120/400 30% 12.0/s 23s left status`.
 * On a terminal it redraws one line; elsewhere (logs, CI) it prints a line every `lineInterval`.
 */
export function createProgressBar(label: string, options: ProgressBarOptions = {}): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const width = options.width ?? 28;
  const now = options.now ?? Date.now;
  const interval = options.lineInterval ?? 10_000;
  const start = now();
  let lastLine = Number.NEGATIVE_INFINITY;
  let last = { done: 0, total: 0, status: '' };

  const render = () => {
    const { done, total, status } = last;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const left = rate > 0 ? (total - done) / rate : Number.NaN;
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${Math.floor(frac * 100)}% ${rate.toFixed(1)}/s ${formatDuration(left)} left${status ? ` ${status}` : ''}`;
  };

  return {
    update(done, total, status = '') {
      last = { done, total, status };
      if (stream.isTTY) {
        const line = render();
        const max = stream.columns ? stream.columns - 1 : line.length;
        stream.write(`\r${line.slice(0, max).padEnd(Math.min(max, line.length))}\x1b[K`);
      } else if (now() - lastLine >= interval) {
        lastLine = now();
        stream.write(`${render()}\n`);
      }
    },
    finish(status) {
      if (status !== undefined) last.status = status;
      const elapsed = (now() - start) / 1000;
      const line = `${label} done: ${last.done}/${last.total} in ${formatDuration(elapsed)}${last.status ? ` ${last.status}` : ''}`;
      stream.write(stream.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}
