import type { Pixels } from '@zs-sbir/core';
import sharp from 'sharp';
import { SearchError } from './search-error.js';

/**
 * A query: a sketch as an image file path, encoded image bytes (PNG, JPEG, WebP, ...) or decoded
 * pixels, which is prepared and embedded as the run's sketches were; or an embedding (the run's
 * `embeddingDim` long), searched as it is.
 */
export type SearchQuery = string | Buffer | Uint8Array | Pixels | Float32Array;

/** A file path or decoded pixels for `loadImage` of `@zs-sbir/data`: encoded bytes are decoded. */
export async function sketchSource(
  query: Exclude<SearchQuery, Float32Array>,
): Promise<string | Pixels> {
  if (typeof query === 'string') return query;
  if (query instanceof Uint8Array) {
    try {
      const { data, info } = await sharp(query, { failOn: 'warning' })
        .toColourspace('srgb')
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: 4 };
    } catch (err) {
      throw new SearchError('query', `cannot decode the image bytes (${(err as Error).message})`);
    }
  }
  return query;
}
