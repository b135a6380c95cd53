#!/usr/bin/env node
import { terminalProgress } from '@zs-sbir/experiment';
import { parentProgress } from './job-progress.js';
import { runTrain } from './train-command.js';

const controller = new AbortController();
let stop = false;
process.on('SIGINT', () => {
  if (stop) process.exit(130);
  stop = true;
  controller.abort();
  console.error(
    '\nstopping after this epoch (its checkpoint is saved; --resume continues); Ctrl-C again to quit now',
  );
});
// Bars on a terminal, a line now and then in logs; the pipeline only reports. A --compare job
// sends its progress to the parent, which draws all jobs in one multi-bar.
const toParent = parentProgress();
const progress = toParent
  ? { onProgress: toParent, stop: () => {} }
  : terminalProgress(process.stderr);

runTrain(process.argv.slice(2), {
  log: (line) => console.log(line),
  onProgress: progress.onProgress,
  stopRequested: () => stop,
  signal: controller.signal,
  script: process.argv[1]!,
})
  .then(() => progress.stop())
  .catch((err: Error) => {
    progress.stop();
    console.error(`zs-sbir-train: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`);
    if (process.env.ZS_SBIR_DEBUG) console.error(err.stack);
    process.exit(1);
  });
