import type * as LanceDb from '@lancedb/lancedb';

let loaded: Promise<typeof LanceDb> | undefined;

/**
 * `@lancedb/lancedb`, imported on first use. Its native logger writes warnings to stderr, and a
 * library does not print: unless `LANCEDB_LOG` is set, it is set to `error` before the import.
 */
export function lanceDb(): Promise<typeof LanceDb> {
  process.env.LANCEDB_LOG ??= 'error';
  loaded ??= import('@lancedb/lancedb');
  return loaded;
}
