export { drawAugment, NO_AUGMENT } from './augment.js';
export { classNameWords, normaliseClassName, SKETCHY_RENAMES } from './class-name.js';
export type { FileListEntry } from './datasets/file-list.js';
export { parseFileList } from './datasets/file-list.js';
export type { CheckHeadersOptions } from './datasets/header-cache.js';
export { checkImageHeaders, clearHeaderCache } from './datasets/header-cache.js';
export { IMAGE_EXTENSIONS, isImageFile } from './datasets/image-file.js';
export type { HeaderCheck } from './datasets/image-header.js';
export type { DatasetLayout, LayoutOptions } from './datasets/layout.js';
export { DATASET_LAYOUTS } from './datasets/layout.js';
export type {
  DatasetKind,
  OpenDatasetOptions,
  OpenedDataset,
  OpenProgress,
} from './datasets/open-dataset.js';
export { DATASET_KINDS, openDataset } from './datasets/open-dataset.js';
export {
  ClassVectorError,
  DatasetError,
  FeatureStoreError,
  ImageError,
  PickleError,
  SplitError,
} from './errors.js';
export type { FeatureManifest, FeatureStoreMeta } from './feature-store.js';
export {
  isFeatureStoreComplete,
  readFeatureManifest,
  readFeatureStore,
  writeFeatureStore,
} from './feature-store.js';
export type { ImageBatch, ImageBatchOptions } from './image-batches.js';
export { imageBatches } from './image-batches.js';
export type {
  AugmentDraw,
  AugmentOptions,
  Fit,
  ImageOptions,
  ResizeKernel,
} from './image-options.js';
export { FITS, RESIZE_KERNELS } from './image-options.js';
export { labelIndices } from './label-indices.js';
export { decodeImage, loadImage } from './load-image.js';
export type { Normalisation } from './normalisation.js';
export { NORMALISATIONS, normalisePixels } from './normalisation.js';
export type { ClassVectorMatrixOptions } from './semantics/class-vector-matrix.js';
export { classVectorMatrix, l2Normalise } from './semantics/class-vector-matrix.js';
export { readNpyDict } from './semantics/npy-dict.js';
export type { PickledArray, PickledBytes, PickledDtype } from './semantics/pickle-reader.js';
export { readPickle } from './semantics/pickle-reader.js';
export type { ClassVectorFormat, ReadClassVectorsOptions } from './semantics/read-class-vectors.js';
export {
  CLASS_VECTOR_FORMATS,
  detectClassVectorFormat,
  readClassVectors,
} from './semantics/read-class-vectors.js';
export {
  CLASS_SYNONYMS,
  classVectorWords,
  resolveClassVector,
} from './semantics/resolve-class-vector.js';
export { readTextVectors } from './semantics/text-vectors.js';
export type { WordFilterOptions } from './semantics/word2vec-binary.js';
export { readWord2vecBinary } from './semantics/word2vec-binary.js';
export { checkSplitClasses } from './splits/check-split.js';
export type { LoadSplitOptions } from './splits/load-split.js';
export { loadSplit } from './splits/load-split.js';
export type { RandomSplitOptions } from './splits/random-split.js';
export { randomSplit } from './splits/random-split.js';
export type { SplitDataset, SplitFile, SplitName } from './splits/split-file.js';
export { SPLIT_FILES } from './splits/split-file.js';
export { classSynset, DEFAULT_CLASS_SYNSETS } from './wordnet/class-synset.js';
export type {
  HierarchyEmbeddingBasis,
  HierarchyEmbeddingOptions,
} from './wordnet/hierarchy-embeddings.js';
export {
  wordnetHierarchyBasis,
  wordnetHierarchyEmbeddings,
} from './wordnet/hierarchy-embeddings.js';
export type { WordNetSimilarity } from './wordnet/similarity.js';
export { SynsetGraph, WORDNET_SIMILARITIES } from './wordnet/similarity.js';
export type { NounSynset } from './wordnet/wordnet-nouns.js';
export { WordNetNouns } from './wordnet/wordnet-nouns.js';
