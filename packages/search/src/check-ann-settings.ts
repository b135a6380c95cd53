import type { AnnIndex, AnnSearchSettings } from './ann.js';
import type { SearchOptions } from './open-index.js';
import { SearchError } from './search-error.js';

/**
 * The ANN settings of a search's `options` for an index with `ann` (null: exact search),
 * checked: positive integers, `nprobes` within the index's partitions, `ef` only for a graph
 * index and at least the candidates it hands on to re-ranking (k x `refineFactor`). Without an ANN index, or with
 * `exact`, the settings are only checked to be positive integers and then ignored.
 * @throws {SearchError} naming `nprobes` or `ef` and what was expected.
 */
export function checkAnnSettings(options: SearchOptions, ann: AnnIndex | null): AnnSearchSettings {
  const { nprobes, ef } = options;
  for (const [option, value] of [
    ['nprobes', nprobes],
    ['ef', ef],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new SearchError(
        option,
        `${value}: expected a positive integer (${option === 'ef' ? 'graph candidates' : 'partitions searched'})`,
      );
    }
  }
  if (!ann || options.exact) return {};
  if (nprobes !== undefined && nprobes > ann.partitions) {
    throw new SearchError(
      'nprobes',
      `${nprobes}: the index has ${ann.partitions} partition${ann.partitions === 1 ? '' : 's'} (${ann.type})`,
    );
  }
  if (ef !== undefined) {
    if (ann.type !== 'IVF_HNSW_SQ') {
      throw new SearchError(
        'ef',
        `${ef}: applies to an IVF_HNSW_SQ index; this one is ${ann.type}`,
      );
    }
    const candidates = (options.k ?? 10) * ann.refineFactor;
    if (ef < candidates) {
      throw new SearchError(
        'ef',
        `${ef}: expected at least k x refineFactor = ${candidates} (the candidates re-ranked)`,
      );
    }
  }
  return { ...(nprobes !== undefined ? { nprobes } : {}), ...(ef !== undefined ? { ef } : {}) };
}
