import type { OnProgress, ProgressEvent } from '@zs-sbir/experiment';

/** What a `--compare` job sends its parent over the IPC channel: one progress event. */
export interface JobProgressMessage {
  type: 'zs-sbir/progress';
  event: ProgressEvent;
}

/** Whether an IPC message from a job is a {@link JobProgressMessage}. */
export function isJobProgress(message: unknown): message is JobProgressMessage {
  const m = message as Partial<JobProgressMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'zs-sbir/progress' &&
    typeof m.event?.task === 'string' &&
    typeof m.event.done === 'number' &&
    typeof m.event.total === 'number'
  );
}

/** The part of `process` {@link parentProgress} uses: the IPC channel, when there is one. */
export interface JobProcess {
  send?: (message: unknown) => boolean;
  channel?: { unref(): void } | null;
}

/**
 * In a job that `runJobs` started (the process has an IPC channel to its parent): an
 * {@link OnProgress} that sends each event to the parent, which draws every job's bars in one
 * multi-bar. Elsewhere `null`. The channel does not keep the job alive.
 */
export function parentProgress(proc: JobProcess = process): OnProgress | null {
  const send = proc.send?.bind(proc);
  if (!send) return null;
  proc.channel?.unref();
  return (event) => {
    send({ type: 'zs-sbir/progress', event } satisfies JobProgressMessage);
  };
}
