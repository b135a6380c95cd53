import cliProgress, { type GenericFormatter, type SingleBar } from 'cli-progress';
import type { OnProgress, ProgressEvent } from './progress.js';

/** Where {@link terminalProgress} draws: a writable stream, `process.stderr` in the apps. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link terminalProgress}. */
export interface TerminalProgressOptions {
  /** On a stream that is not a terminal, a task prints a line at most this often (ms); default 10000. */
  lineInterval?: number;
  /** Clock in ms, for tests; default `Date.now`. */
  now?: () => number;
}

/** A {@link ProgressEvent} renderer: `onProgress` to pass to the pipelines, `stop` when done. */
export interface TerminalProgress {
  onProgress: OnProgress;
  /** Ends every bar still drawn (call it when the command ends, also on an error). */
  stop(): void;
}

/** Formats seconds as `1h02m`, `3m05s` or `42s`; `?` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

interface Task {
  started: number;
  lastLine: number;
  bar?: SingleBar;
}

// cli-progress is CommonJS: its named exports are read from the default one.
const { Format, MultiBar } = cliProgress;

const ended = (e: ProgressEvent) => e.finished ?? e.done >= e.total;

const BAR = '{task} [{bar}] {value}/{total} {percentage}% {rate}/s {eta_formatted} left {status}';
/** A running task's bar; an ended one as its line elsewhere, `task done: 4/4 in 3s status`. */
const barFormat: GenericFormatter = (options, params, payload) =>
  payload.ended
    ? `${payload.task} done: ${params.value}/${params.total} in ${formatDuration(((params.stopTime ?? Date.now()) - params.startTime) / 1000)}${payload.status ? ` ${payload.status}` : ''}`
    : Format.Formatter({ ...options, format: BAR }, params, payload);

/**
 * Draws progress events on `stream`, which the caller owns (the apps pass `process.stderr`).
 * On a terminal: one cli-progress bar per task (several at once in a multi-bar), with the rate,
 * the time left and the status. Elsewhere (logs, CI): plain lines, one when a task starts, at
 * most one every `lineInterval` while it runs, and one when it ends
 * (`train wad-cmsn done: 200/200 in 3m05s status`).
 */
export function terminalProgress(
  stream: ProgressStream,
  options: TerminalProgressOptions = {},
): TerminalProgress {
  const now = options.now ?? Date.now;
  const interval = options.lineInterval ?? 10_000;
  const tasks = new Map<string, Task>();
  let multi: InstanceType<typeof MultiBar> | undefined;

  const rate = (task: Task, done: number) => {
    const seconds = (now() - task.started) / 1000;
    return seconds > 0 ? done / seconds : 0;
  };
  const line = (e: ProgressEvent, task: Task) => {
    const percent = e.total > 0 ? Math.floor((Math.min(e.done, e.total) / e.total) * 100) : 0;
    const perSecond = rate(task, e.done);
    const left = perSecond > 0 ? formatDuration((e.total - e.done) / perSecond) : '?';
    return `${e.task} ${e.done}/${e.total} ${percent}% ${perSecond.toFixed(1)}/s ${left} left${e.status ? ` ${e.status}` : ''}`;
  };
  const stopAll = () => {
    multi?.stop();
    multi = undefined;
    tasks.clear();
  };

  const onProgress: OnProgress = (e) => {
    let task = tasks.get(e.task);
    const first = !task;
    if (!task) {
      task = { started: now(), lastLine: Number.NEGATIVE_INFINITY };
      tasks.set(e.task, task);
    }
    const payload = { task: e.task, status: e.status ?? '', rate: rate(task, e.done).toFixed(1) };
    if (stream.isTTY) {
      if (!task.bar) {
        multi ??= new MultiBar({
          stream: stream as NodeJS.WritableStream,
          format: barFormat,
          barCompleteChar: '#',
          barIncompleteChar: '.',
          barsize: 28,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        });
        task.bar = multi.create(e.total, e.done, payload);
      } else {
        task.bar.setTotal(e.total);
        task.bar.update(e.done, payload);
      }
    } else if (first || now() - task.lastLine >= interval) {
      if (!ended(e)) {
        task.lastLine = now();
        stream.write(`${line(e, task)}\n`);
      }
    }
    if (!ended(e)) return;
    if (task.bar) {
      task.bar.update(e.done, { ...payload, ended: true });
      task.bar.stop();
    } else {
      const elapsed = formatDuration((now() - task.started) / 1000);
      stream.write(
        `${e.task} done: ${e.done}/${e.total} in ${elapsed}${e.status ? ` ${e.status}` : ''}\n`,
      );
    }
    tasks.delete(e.task);
    // The last bar ended: stop redrawing, so nothing keeps the process alive.
    if (multi && [...tasks.values()].every((t) => !t.bar)) {
      multi.stop();
      multi = undefined;
    }
  };
  return { onProgress, stop: stopAll };
}
