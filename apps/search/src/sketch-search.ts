import type { SearchIndex, SearchOptions, SearchResult } from '@zs-sbir/search';

/**
 * The one sketch search of the app: `query --sketch FILE` passes the file's bytes, `serve` the
 * posted PNG, so both are decoded and prepared by the same code (`SearchIndex.search` on encoded
 * bytes: decoded by sharp, then prepared as the run's sketches were). `settings`: `k` and the
 * ANN index's per-search `nprobes` and `ef`.
 */
export function searchSketch(
  index: SearchIndex,
  bytes: Uint8Array,
  settings: Pick<SearchOptions, 'k' | 'nprobes' | 'ef'>,
): Promise<SearchResult[]> {
  return index.search(bytes, settings);
}
