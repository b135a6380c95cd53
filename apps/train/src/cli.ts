#!/usr/bin/env node
import { cliHelp } from '@zs-sbir/eval';
import { parseTrainOptions, TRAIN_OPTIONS } from './train-options.js';
import { runTrainPipeline } from './train-pipeline.js';

async function main(argv: string[]): Promise<void> {
  const options = parseTrainOptions(argv);
  if (options.help) {
    console.log(
      cliHelp(
        'zs-sbir-train [--dataset qd-emoji|sketchy|tu-berlin|folder] [options]',
        TRAIN_OPTIONS,
      ),
    );
    return;
  }
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
  await runTrainPipeline(options, {
    log: (line) => console.log(line),
    stopRequested: () => stop,
    signal: controller.signal,
    script: process.argv[1]!,
    argv,
  });
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`zs-sbir-train: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`);
  if (process.env.ZS_SBIR_DEBUG) console.error(err.stack);
  process.exit(1);
});
