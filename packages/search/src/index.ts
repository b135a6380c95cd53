export type { AnnIndex, HnswSqAnnIndex, PqAnnIndex } from './ann.js';
export { ANN_THRESHOLD, annIndexFor, createAnnIndex } from './ann.js';
export type {
  BuildIndexOptions,
  BuildIndexResult,
  BuildProgress,
} from './build-index.js';
export { buildIndex } from './build-index.js';
export type { GalleryFile } from './gallery-files.js';
export { listGalleryFiles } from './gallery-files.js';
export type { IndexManifest, IndexOwner } from './index-manifest.js';
export { INDEX_FILES } from './index-manifest.js';
export type {
  IndexInfo,
  SearchIndex,
  SearchOptions,
  SearchResult,
} from './open-index.js';
export { openIndex } from './open-index.js';
export type { RunIdentity } from './run-model.js';
export { readRunIdentity } from './run-model.js';
export type { SearchOption } from './search-error.js';
export { SearchError } from './search-error.js';
export type { SearchQuery } from './sketch-query.js';
