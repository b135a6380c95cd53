/**
 * One report of a long task's progress: `done` of `total` units. The package never draws it;
 * the caller does (see {@link terminalProgress} for bars on a terminal and log lines elsewhere).
 */
export interface ProgressEvent {
  /** The task, e.g. `build qd-emoji`, `features sketch`, `train wad-cmsn`: one bar each. */
  task: string;
  done: number;
  total: number;
  /** Free text shown after the numbers, e.g. `epoch 2 loss 0.412`; default none. */
  status?: string;
  /**
   * `true`: the task has ended, also before `done` reaches `total` (early stopping). `false`: it
   * has not, even at `done >= total` (a last event with `finished: true` follows). Absent: the
   * task ends when `done >= total`.
   */
  finished?: boolean;
}

/** Receives {@link ProgressEvent}s. */
export type OnProgress = (event: ProgressEvent) => void;
