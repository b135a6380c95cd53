import { SearchError, type SearchOption } from '@zs-sbir/search';
import { Command, CommanderError, InvalidArgumentError, type OutputConfiguration } from 'commander';

/** `zs-sbir-search index` options. */
export interface IndexCommandOptions {
  run: string;
  images: string;
  out: string;
  batchSize?: number;
}

/** `zs-sbir-search query` options. */
export interface QueryCommandOptions {
  index: string;
  sketch: string;
  k: number;
  /** Partitions of the ANN index searched (default the index's). */
  nprobes?: number;
  /** Graph candidates of an IVF-HNSW-SQ index (default the index's). */
  ef?: number;
  json: boolean;
  /** PNG contact sheet of the sketch and its results. */
  out?: string;
  /** Replace an existing `out` file (default: an existing file is an error before the search). */
  overwrite: boolean;
}

/** `zs-sbir-search serve` options. */
export interface ServeCommandOptions {
  index: string;
  port: number;
  host: string;
}

/** `zs-sbir-search demo` options. */
export interface DemoCommandOptions {
  port: number;
  host: string;
}

/** A parsed command line: which command, with its options; `help` when help was printed. */
export type ParsedCommand =
  | { command: 'index'; options: IndexCommandOptions }
  | { command: 'query'; options: QueryCommandOptions }
  | { command: 'serve'; options: ServeCommandOptions }
  | { command: 'demo'; options: DemoCommandOptions }
  | { command: 'help' };

/** The flag that names each library option in messages. */
const FLAGS: Record<SearchOption, string> = {
  run: '--run',
  images: '--images',
  out: '--out',
  index: '--index',
  query: '--sketch',
  k: '--k',
  nprobes: '--nprobes',
  ef: '--ef',
  batchSize: '--batch-size',
};

/** A library error, its option named by the flag: `--images DIR: no image files ...`. */
export function withFlag(err: unknown): unknown {
  if (!(err instanceof SearchError) || !err.option) return err;
  const out = new SearchError(err.option, err.detail);
  out.message = `${FLAGS[err.option]} ${err.detail}`;
  return out;
}

function port(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port).');
  return n;
}

function positiveInteger(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1)
    throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/**
 * The `zs-sbir-search` program: the `index` and `query` commands, their options and help.
 * `parsed` receives the chosen command; errors throw (a `CommanderError`) instead of exiting.
 */
export function searchProgram(
  parsed: (command: ParsedCommand) => void,
  output?: OutputConfiguration,
): Command {
  const program = new Command('zs-sbir-search')
    .description(
      'Index a folder of photos with a trained run, and search it with a sketch (or serve a drawing page).',
    )
    .helpOption('-h, --help', 'print this help')
    .exitOverride();
  if (output) program.configureOutput(output);
  program
    .command('index')
    .description(
      'Embed every photo under --images (recursively) with the run and write an index to --out; run it again to continue a stopped build or to pick up changed photos.',
    )
    .requiredOption('--run <DIR>', 'a zs-sbir-train run folder (run.json + checkpoints/best)')
    .requiredOption('--images <DIR>', 'the folder of photos (jpg, png, webp; subfolders = labels)')
    .requiredOption('--out <DIR>', 'the index folder (new, empty, or an index of the same run)')
    .option('--batch-size <N>', 'photos embedded at once (default 32)', positiveInteger)
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput(output ?? {})
    .action((options: IndexCommandOptions) => parsed({ command: 'index', options }));
  program
    .command('query')
    .description('The photos of --index nearest to a sketch, best first.')
    .requiredOption('--index <DIR>', 'an index folder written by zs-sbir-search index')
    .requiredOption('--sketch <FILE>', 'the sketch image (png, jpg, webp)')
    .option('--k <N>', 'results (default 10)', positiveInteger, 10)
    .option(
      '--nprobes <N>',
      "partitions of the ANN index to search (default the index's; fewer is faster)",
      positiveInteger,
    )
    .option(
      '--ef <N>',
      "graph candidates of an IVF_HNSW_SQ index, at least 5 x k (default the index's)",
      positiveInteger,
    )
    .option('--json', 'print [{"path": ..., "score": ...}, ...] to stdout', false)
    .option('--out <FILE.png>', 'write a contact sheet of the sketch and its results')
    .option('--overwrite', 'replace the --out file if it exists', false)
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput(output ?? {})
    .action((options: QueryCommandOptions) => parsed({ command: 'query', options }));
  program
    .command('serve')
    .description(
      'Serve a drawing page and the HTTP API (POST /api/search with a PNG body) over --index.',
    )
    .requiredOption('--index <DIR>', 'an index folder written by zs-sbir-search index')
    .option('--port <N>', 'TCP port (0: any free port)', port, 8080)
    .option(
      '--host <HOST>',
      'address to listen on (127.0.0.1: this machine only; 0.0.0.0 opens it to the network)',
      '127.0.0.1',
    )
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput(output ?? {})
    .action((options: ServeCommandOptions) => parsed({ command: 'serve', options }));
  program
    .command('demo')
    .description(
      'In the zs-sbir repository: serve the QD-Emoji gallery with the run npm start trains (training it with npm start first if missing, indexing the gallery if not yet indexed).',
    )
    .option('--port <N>', 'TCP port (0: any free port)', port, 8080)
    .option('--host <HOST>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput(output ?? {})
    .action((options: DemoCommandOptions) => parsed({ command: 'demo', options }));
  return program;
}

/**
 * Parses `zs-sbir-search`'s arguments.
 * @throws SearchError naming an unknown command or option, a missing one or a bad value.
 */
export function parseSearchArgs(argv: string[], output?: OutputConfiguration): ParsedCommand {
  let result: ParsedCommand | undefined;
  const program = searchProgram(
    (c) => {
      result = c;
    },
    { outputError: () => {}, ...output },
  );
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') {
        return { command: 'help' };
      }
      throw new SearchError(undefined, err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  if (!result) {
    program.outputHelp();
    return { command: 'help' };
  }
  return result;
}
