import { formatDuration } from './terminal-progress.js';

/** One timed phase of a command (a stage of the data preparation, a training, an evaluation). */
export interface Phase {
  /** E.g. `dataset qd-emoji`, `features sketch`, `evaluate backbone`, `wad-cmsn: train`. */
  name: string;
  /** Seconds from the start of the command to the start of the phase. */
  start: number;
  /** Seconds the phase took (wall clock). */
  seconds: number;
  /**
   * The phase this one ran inside, for the phases of the parallel training jobs (inside
   * `train jobs`): they overlap each other and are not counted again in the total.
   */
  within?: string;
  /** Peak resident memory of the job process that ran the phase, MiB (job phases only). */
  peakRssMiB?: number;
}

/**
 * Times the phases of one command, one after another: {@link start} ends the running phase and
 * starts the next, so the top-level phases never overlap and their sum is at most the
 * {@link elapsed} time. Phases measured in other processes are added with {@link add}.
 */
export class PhaseClock {
  /** When the clock started, epoch ms. */
  readonly startedAt: number;
  private running: { name: string; at: number } | undefined;
  private readonly list: Phase[] = [];

  /** @param now - clock in epoch ms, for tests; default `Date.now`. */
  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** Ends the running phase, if any, and starts `name`. */
  start(name: string): void {
    this.end();
    this.running = { name, at: this.now() };
  }

  /** Ends the running phase, if any. */
  end(): void {
    if (!this.running) return;
    const { name, at } = this.running;
    this.running = undefined;
    this.list.push({
      name,
      start: (at - this.startedAt) / 1000,
      seconds: Math.max(0, this.now() - at) / 1000,
    });
  }

  /** Runs `task` as the phase `name` (ended also when it throws). */
  async time<T>(name: string, task: () => Promise<T>): Promise<T> {
    this.start(name);
    try {
      return await task();
    } finally {
      this.end();
    }
  }

  /**
   * Adds phases timed by another clock that started at `startedAt` (epoch ms), e.g. a training
   * job's, shifted onto this clock and marked as run `within` the phase `within`.
   */
  add(phases: readonly Phase[], startedAt: number, within: string, peakRssMiB?: number): void {
    const shift = (startedAt - this.startedAt) / 1000;
    for (const p of phases) {
      this.list.push({
        ...p,
        start: p.start + shift,
        within,
        ...(peakRssMiB !== undefined ? { peakRssMiB } : {}),
      });
    }
  }

  /** Seconds since the clock started. */
  elapsed(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  /** The finished phases, in the order they started. */
  phases(): Phase[] {
    return [...this.list].sort((a, b) => a.start - b.start);
  }
}

/** The timing part of a `--compare` summary: where the time of the run went. */
export interface RunTiming {
  /** Seconds of the whole command (the pipeline, from its start to the summary). */
  totalSeconds: number;
  /** Peak resident memory of the command's own process, MiB (`process.resourceUsage().maxRSS`). */
  peakRssMiB: number;
  phases: Phase[];
}

/** This process's peak resident memory so far, MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Seconds as `4.2s` under ten seconds, else as {@link formatDuration} (`42s`, `3m05s`). */
function phaseDuration(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)}s` : formatDuration(seconds);
}

/**
 * The timing as a Markdown table, one row per phase with its time and share of the total; the
 * phases of the training jobs (`<job>: <phase>`) are indented under `train jobs`, each job's peak
 * memory on its first row; `other` is the rest of the total (start-up, planning, the summary).
 */
export function phaseTable(timing: RunTiming): string {
  const share = (s: number) => `${((100 * s) / Math.max(timing.totalSeconds, 1e-9)).toFixed(0)}%`;
  const rows: string[][] = [];
  let counted = 0;
  let job: string | undefined;
  // The jobs run side by side: each job's phases together, the jobs in the order they started.
  const owner = (p: Phase) => p.name.split(': ')[0]!;
  const firstStart = new Map<string, number>();
  for (const p of timing.phases) {
    const key = `${p.within}\u0000${owner(p)}`;
    if (p.within && !firstStart.has(key)) firstStart.set(key, p.start);
  }
  const order = (p: Phase) =>
    p.within ? (firstStart.get(`${p.within}\u0000${owner(p)}`) ?? p.start) : p.start;
  const within = timing.phases
    .filter((p) => p.within)
    .sort((a, b) => order(a) - order(b) || a.start - b.start);
  const phases = timing.phases.flatMap((p) =>
    p.within ? [] : [p, ...within.filter((w) => w.within === p.name)],
  );
  for (const p of phases) {
    if (p.within) {
      const rss =
        owner(p) !== job && p.peakRssMiB !== undefined ? `job peak ${p.peakRssMiB} MiB` : '';
      job = owner(p);
      rows.push([`  ${p.name}`, phaseDuration(p.seconds), '', rss]);
      continue;
    }
    counted += p.seconds;
    rows.push([p.name, phaseDuration(p.seconds), share(p.seconds), '']);
  }
  const other = Math.max(0, timing.totalSeconds - counted);
  rows.push(['other', phaseDuration(other), share(other), '']);
  rows.push(['total', phaseDuration(timing.totalSeconds), '100%', `peak ${timing.peakRssMiB} MiB`]);
  const header = ['phase', 'time', 'share', 'memory'];
  return [header, header.map(() => '---'), ...rows].map((c) => `| ${c.join(' | ')} |`).join('\n');
}
