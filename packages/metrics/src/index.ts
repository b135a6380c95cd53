export { atomicWriteFile } from './atomic-write-file';
export { averagePrecision } from './average-precision';
export { averagePrecisionAtK } from './average-precision-at-k';
export type { BinaryCodes } from './binary-codes';
export { hammingDistances, hammingRanking, packSigns } from './binary-codes';
export type {
  CodeEvaluation,
  EmbeddingEvaluation,
  EvaluateRetrievalOptions,
  EvaluationProgress,
  EvaluationSettings,
  ScoreEvaluation,
  ScoreMatrix,
} from './evaluate-retrieval';
export { evaluateRetrieval } from './evaluate-retrieval';
export type { Float32Matrix } from './float32-matrix';
export type { ItqEncodeOptions, ItqModel, ItqOptions } from './itq';
export { encodeItq, trainItq } from './itq';
export type { MetricOptions, PrecisionOptions } from './metric-options';
export { MetricsError } from './metrics-error';
export type { NpyArray, NpyInput } from './npy-array';
export { npyToLabels, npyToMatrix, readNpyLabels, readNpyMatrix } from './npy-convert';
export type { NpyData, NpyDtype } from './npy-dtype';
export { NpyError } from './npy-error';
export { readNpy, writeNpy } from './npy-file';
export { parseNpy } from './npy-read';
export { encodeNpy } from './npy-write';
export { precisionAtK } from './precision-at-k';
export type { PrecisionDenominator, Protocol } from './protocol';
export { PRECISION_DENOMINATORS, PROTOCOLS } from './protocol';
export type { QueryRelevance, QueryScores } from './rank-query';
export type { MarkdownReportOptions } from './render-markdown-report';
export { renderMarkdownReport } from './render-markdown-report';
export type { ClassResult, PrCurve, RetrievalReport } from './retrieval-report';
export {
  parseRetrievalReport,
  RETRIEVAL_REPORT_SCHEMA,
  RETRIEVAL_REPORT_VERSION,
} from './retrieval-report';
export type { Similarity } from './similarity';
export { SIMILARITIES } from './similarity';
/** Helpers to write WebAssembly modules by hand (LEB128, names, vectors, sections). */
export * as wasmEncoding from './wasm-encoding';
