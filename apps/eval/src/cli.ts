#!/usr/bin/env node
import { terminalProgress } from '@zs-sbir/experiment';
import { runEval } from './eval-command.js';

// Bars on a terminal, a line now and then in logs; the pipeline only reports.
const progress = terminalProgress(process.stderr);

runEval(process.argv.slice(2), (line) => console.log(line), progress.onProgress)
  .then(() => progress.stop())
  .catch((err: Error) => {
    progress.stop();
    console.error(`zs-sbir-eval: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`);
    if (process.env.ZS_SBIR_DEBUG) console.error(err.stack);
    process.exit(1);
  });
