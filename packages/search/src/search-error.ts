/** What a {@link SearchError} is about: an option of `buildIndex` / `openIndex` / a query. */
export type SearchOption =
  | 'run'
  | 'images'
  | 'out'
  | 'index'
  | 'query'
  | 'k'
  | 'nprobes'
  | 'ef'
  | 'batchSize';

/**
 * Thrown for an input search cannot use. `option` names the option that is wrong (an app maps it
 * to its flag); `detail` says what is wrong and what was expected.
 */
export class SearchError extends Error {
  override name = 'SearchError';
  constructor(
    readonly option: SearchOption | undefined,
    readonly detail: string,
  ) {
    super(option ? `${option} ${detail}` : detail);
  }
}
