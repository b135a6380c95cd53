export type { EvalIo, EvalOptions, EvalResult } from './eval/eval-pipeline.js';
export { runEvalPipeline } from './eval/eval-pipeline.js';
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
  qdEmojiRenderSize,
  SIDE_INFO_SOURCES,
} from './experiment/open-experiment.js';
export type { Partition, RetrievalSet } from './experiment/partition.js';
export { partition, selectRows } from './experiment/partition.js';
export type {
  ExperimentIo,
  ExperimentSpec,
  PreparedExperiment,
} from './experiment/prepare-experiment.js';
export { prepareExperiment } from './experiment/prepare-experiment.js';
export type { RetrievalGridOptions, RetrievalRow } from './figures/retrieval-grid-figure.js';
export { retrievalGridPng } from './figures/retrieval-grid-figure.js';
export type {
  ProbeCandidate,
  ProbeOptions,
  ProbeResult,
  ProbeRow,
} from './probe/feature-probe.js';
export { probeFeatures } from './probe/feature-probe.js';
export type {
  FineTuneSketchBranchOptions,
  FineTuneSketchBranchResult,
} from './probe/fine-tune-sketch-branch.js';
export { fineTuneSketchBranch } from './probe/fine-tune-sketch-branch.js';
export { DEFAULT_PROBE_GRID, readProbeGrid } from './probe/probe-grid.js';
export type { ProbeIo, ProbePipelineOptions } from './probe/probe-pipeline.js';
export { runProbePipeline } from './probe/probe-pipeline.js';
export { probeTable } from './probe/probe-table.js';
export type { Phase, RunTiming } from './progress/phase-clock.js';
export { PhaseClock, phaseTable } from './progress/phase-clock.js';
export type { OnProgress, ProgressEvent } from './progress/progress.js';
export type {
  ProgressStream,
  TerminalProgress,
  TerminalProgressOptions,
} from './progress/terminal-progress.js';
export { formatDuration, terminalProgress } from './progress/terminal-progress.js';
export { DEFAULT_KS } from './report/default-ks.js';
export type { GridInput } from './report/write-evaluation.js';
export { REPORT_FILES, writeEvaluation } from './report/write-evaluation.js';
export { checkOptionPaths } from './train/check-option-paths.js';
export type { EvaluationContext } from './train/evaluate-methods.js';
export {
  embedSet,
  evaluateCentred,
  evaluateChance,
  evaluateEmbeddings,
} from './train/evaluate-methods.js';
export type { TrainedMethod } from './train/methods.js';
export { TRAINED_METHOD_NAMES, TRAINED_METHODS } from './train/methods.js';
export { mergeConfig, runConfig } from './train/run-config.js';
export type {
  CheckpointCheck,
  RunDescription,
  RunFolder,
  RunPlan,
  RunRequest,
} from './train/run-folder.js';
export {
  canResume,
  clearRunFolder,
  describeState,
  differences,
  finishedLine,
  inspectRunFolder,
  planRun,
  RUN_FILES,
} from './train/run-folder.js';
export type { Summary, SummaryRow } from './train/summary.js';
export { summaryRow, summaryTable, writeSummary } from './train/summary.js';
export type { TrainOneOptions } from './train/train-one.js';
export { engineLine, seenSideInfo, trainOne } from './train/train-one.js';
export type { TrainOptions } from './train/train-options.js';
export type { TrainIo } from './train/train-pipeline.js';
export { experimentSpec, runTrainPipeline } from './train/train-pipeline.js';
