export type { CliOption, CliValues } from './cli-kit/parse-cli.js';
export { cliHelp, parseCli } from './cli-kit/parse-cli.js';
export { DEFAULT_KS, EVAL_OPTIONS, runEval } from './eval-command.js';
export { ExperimentError } from './experiment/experiment-error.js';
export type {
  ExperimentFeatures,
  ExperimentFeaturesOptions,
} from './experiment/experiment-features.js';
export { experimentFeatures } from './experiment/experiment-features.js';
export type {
  Experiment,
  ExperimentDataset,
  OpenExperimentOptions,
  SideInfoSource,
} from './experiment/open-experiment.js';
export {
  EXPERIMENT_DATASETS,
  openExperiment,
  SIDE_INFO_SOURCES,
} from './experiment/open-experiment.js';
export type { Partition, RetrievalSet } from './experiment/partition.js';
export { partition, selectRows } from './experiment/partition.js';
export type { ExperimentSpec, PreparedExperiment } from './experiment/prepare-experiment.js';
export { prepareExperiment } from './experiment/prepare-experiment.js';
export type { ProgressBar, ProgressBarOptions } from './progress-bar.js';
export { createProgressBar, formatDuration } from './progress-bar.js';
export type { GridInput } from './report/write-evaluation.js';
export { REPORT_FILES, writeEvaluation } from './report/write-evaluation.js';
