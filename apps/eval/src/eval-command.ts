import { join } from 'node:path';
import {
  DEFAULT_KS,
  type EvalOptions,
  ExperimentError,
  type OnProgress,
  runEvalPipeline,
} from '@zs-sbir/experiment';
import { PROTOCOLS, type RetrievalReport, SIMILARITIES } from '@zs-sbir/metrics';
import { Command, CommanderError, Option, type OutputConfiguration } from 'commander';

/**
 * The `zs-sbir-eval` command: its options, their choices and help. Errors throw (a
 * `CommanderError`) instead of exiting; `output` receives the help and error text (default
 * stdout and stderr).
 */
export function evalProgram(output?: OutputConfiguration): Command {
  const program = new Command('zs-sbir-eval')
    .usage(
      '(--checkpoint RUN_DIR | --queries Q.npy --query-labels QL.npy --gallery G.npy --gallery-labels GL.npy) [options]',
    )
    .description(
      "Scores a trained run's unseen classes or any embeddings saved as .npy, and writes the report and figures.",
    )
    .option('--checkpoint <DIR>', 'a zs-sbir-train run folder (run.json + checkpoints/best)')
    .option('--queries <FILE.npy>', 'query embeddings [queries, dim]')
    .option('--query-labels <FILE.npy>', 'query class labels [queries]')
    .option('--gallery <FILE.npy>', 'gallery embeddings [gallery, dim]')
    .option('--gallery-labels <FILE.npy>', 'gallery class labels [gallery]')
    .option('--class-names <FILE>', 'class names, one per line, line 1 naming label 0')
    .addOption(
      new Option('--similarity <NAME>', 'for --queries (default cosine)').choices(SIMILARITIES),
    )
    .addOption(
      new Option('--protocol <NAME>', 'evaluator rules (default sklearn)').choices(PROTOCOLS),
    )
    .option('--ks <K,K>', 'cut-offs for mAP@K and P@K (default 100,200)')
    .option('--out <DIR>', 'where report.json, report.md and figures go (default eval-report)')
    .option('--overwrite', 'replace a report already in --out (without it, that is an error)')
    .helpOption('-h, --help', 'print this help')
    .exitOverride();
  return output ? program.configureOutput(output) : program;
}

function parseKs(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_KS];
  const ks = text.split(',').map((k) => Number(k.trim()));
  if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new ExperimentError(
      `--ks ${text}: expected positive integers separated by commas, e.g. 100,200`,
    );
  }
  return ks;
}

/**
 * Parses `zs-sbir-eval`'s arguments (a later occurrence of an option overrides an earlier one).
 *
 * @returns the pipeline's options, or `null` when `--help` was given (written to `output`).
 * @throws ExperimentError naming an unknown option (and the closest known one) or a bad value
 *   (and the valid choices).
 */
export function parseEvalOptions(argv: string[], output?: OutputConfiguration): EvalOptions | null {
  const program = evalProgram({ outputError: () => {}, ...output });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed') return null;
      throw new ExperimentError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  const { ks, ...options } = program.opts<Omit<EvalOptions, 'ks'> & { ks?: string }>();
  return { ...options, ks: parseKs(ks) };
}

/**
 * `zs-sbir-eval ARGV`: scores a trained run's unseen classes (`--checkpoint`) or any embeddings
 * saved as `.npy` (`--queries ...`) with the eval pipeline of `@zs-sbir/experiment`, writes the
 * report and figures, and logs the headline numbers.
 *
 * @returns the report, or `null` when `--help` printed the help.
 * @throws ExperimentError naming an unknown option, a missing input or a bad value.
 */
export async function runEval(
  argv: string[],
  log: (line: string) => void,
  onProgress?: OnProgress,
): Promise<RetrievalReport | null> {
  const options = parseEvalOptions(argv);
  if (!options) return null;
  const { report, out, files } = await runEvalPipeline(options, {
    log,
    ...(onProgress ? { onProgress } : {}),
  });
  const { queries, queriesWithoutRelevant } = report.counts;
  if (queriesWithoutRelevant > 0) {
    log(
      `warning: ${queriesWithoutRelevant} of ${queries} queries have no relevant gallery item (their class is not among the gallery labels); ${report.protocol === 'voc' ? 'the voc protocol leaves them out of the mAPs (AP NaN) and counts them as P@K 0' : 'the sklearn protocol counts them as 0 in every mean'}`,
    );
  }
  const k = options.ks?.[0];
  log(
    `mAP@all ${report.mAPAll.toFixed(4)}${k ? `, P@${k} ${report.precisionAtK[k]!.toFixed(4)}, mAP@${k} ${report.mAPAtK[k]!.toFixed(4)}` : ''} (${report.protocol} protocol, ${report.counts.queries} queries, ${report.counts.gallery} gallery items)\nwrote ${files.map((f) => join(out, f)).join(', ')}`,
  );
  return report;
}
