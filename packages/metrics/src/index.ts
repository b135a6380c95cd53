export { averagePrecision } from './average-precision.js';
export { averagePrecisionAtK } from './average-precision-at-k.js';
export type { BinaryCodes } from './binary-codes.js';
export { hammingDistances, hammingRanking, packSigns } from './binary-codes.js';
export type {
  CodeEvaluation,
  EmbeddingEvaluation,
  EvaluateRetrievalOptions,
  EvaluationProgress,
  EvaluationSettings,
  ScoreEvaluation,
  ScoreMatrix,
} from './evaluate-retrieval.js';
export { evaluateRetrieval } from './evaluate-retrieval.js';
export type { ItqEncodeOptions, ItqModel, ItqOptions } from './itq.js';
export { encodeItq, trainItq } from './itq.js';
export type { MetricOptions, PrecisionOptions } from './metric-options.js';
export { MetricsError } from './metrics-error.js';
export { precisionAtK } from './precision-at-k.js';
export type { PrecisionDenominator, Protocol } from './protocol.js';
export { PRECISION_DENOMINATORS, PROTOCOLS } from './protocol.js';
export type { QueryRelevance, QueryScores } from './rank-query.js';
export type { MarkdownReportOptions } from './render-markdown-report.js';
export { renderMarkdownReport } from './render-markdown-report.js';
export type { ClassResult, PrCurve, RetrievalReport } from './retrieval-report.js';
export {
  parseRetrievalReport,
  RETRIEVAL_REPORT_SCHEMA,
  RETRIEVAL_REPORT_VERSION,
} from './retrieval-report.js';
export type { Similarity } from './similarity.js';
export { SIMILARITIES } from './similarity.js';
/** Helpers to write WebAssembly modules by hand (LEB128, names, vectors, sections). */
export * as wasmEncoding from './wasm-encoding.js';
