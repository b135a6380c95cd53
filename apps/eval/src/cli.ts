#!/usr/bin/env node
import { cliHelp } from './cli-kit/parse-cli.js';
import { EVAL_OPTIONS, runEval } from './eval-command.js';

runEval(process.argv.slice(2), (line) => console.log(line))
  .then((report) => {
    if (report === null) {
      console.log(
        cliHelp(
          'zs-sbir-eval (--checkpoint RUN_DIR | --queries Q.npy --query-labels QL.npy --gallery G.npy --gallery-labels GL.npy) [options]',
          EVAL_OPTIONS,
        ),
      );
    }
  })
  .catch((err: Error) => {
    console.error(`zs-sbir-eval: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`);
    if (process.env.ZS_SBIR_DEBUG) console.error(err.stack);
    process.exit(1);
  });
