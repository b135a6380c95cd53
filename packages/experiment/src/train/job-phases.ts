import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateJson } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import * as v from 'valibot';
import { ExperimentError } from '../experiment/experiment-error.js';
import { type Phase, type PhaseClock, peakRssMiB } from '../progress/phase-clock.js';
import { RUN_FILES } from './run-folder.js';

/** `phases.json` of a run folder: the phase times of the job that trained it. */
export interface JobPhases {
  schema: 'zs-sbir/phases';
  version: 1;
  /** When the job's clock started, epoch ms. */
  startedAt: number;
  /** Peak resident memory of the job process, MiB. */
  peakRssMiB: number;
  /** Phases, `start` in seconds from `startedAt`. */
  phases: Phase[];
}

const nonNegative = v.pipe(v.number(), v.minValue(0));
const JOB_PHASES = v.object({
  schema: v.literal('zs-sbir/phases', "'zs-sbir/phases'"),
  version: v.literal(1, '1 (the phases version this package reads)'),
  startedAt: v.number(),
  peakRssMiB: nonNegative,
  phases: v.array(v.object({ name: v.string(), start: v.number(), seconds: nonNegative })),
});

/** Writes the phases of `clock` and this process's peak memory as `phases.json` in `dir`. */
export async function writeJobPhases(dir: string, clock: PhaseClock): Promise<void> {
  const phases: JobPhases = {
    schema: 'zs-sbir/phases',
    version: 1,
    startedAt: clock.startedAt,
    peakRssMiB: peakRssMiB(),
    phases: clock.phases(),
  };
  await atomicWriteFile(join(dir, RUN_FILES.phases), `${JSON.stringify(phases, null, 2)}\n`);
}

/**
 * Reads `phases.json` in `dir`.
 *
 * @returns `null` when the file is missing.
 * @throws ExperimentError naming the file and the key when it is not a version-1 phases file.
 */
export async function readJobPhases(dir: string): Promise<JobPhases | null> {
  const file = join(dir, RUN_FILES.phases);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  return validateJson(JOB_PHASES, text, { where: file, noun: 'key', error: ExperimentError });
}
