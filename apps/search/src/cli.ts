#!/usr/bin/env node
import { terminalProgress } from '@zs-sbir/experiment';
import { runSearch } from './search-command.js';

const controller = new AbortController();
let stop = false;
process.on('SIGINT', () => {
  if (stop) process.exit(130);
  stop = true;
  controller.abort();
  console.error(
    '\nstopping (an index build stops after this batch: what is written stays, the same command continues); Ctrl-C again to quit now',
  );
});
// Bars and messages on stderr; stdout holds only results (query --json stays parseable).
const progress = terminalProgress(process.stderr);

runSearch(process.argv.slice(2), {
  log: (line) => console.error(line),
  print: (text) => console.log(text),
  onProgress: progress.onProgress,
  signal: controller.signal,
})
  .then(() => progress.stop())
  .catch((err: Error) => {
    progress.stop();
    console.error(`zs-sbir-search: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`);
    if (process.env.ZS_SBIR_DEBUG) console.error(err.stack);
    process.exit(1);
  });
