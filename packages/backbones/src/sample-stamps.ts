import { stat } from 'node:fs/promises';
import type { Sample } from '@zs-sbir/core';

/** Files stat-ed at once by {@link sampleStamps}. */
const AT_ONCE = 256;

/**
 * What identifies the contents of each sample's file without reading it: `size:mtimeMs` (as
 * `make` and `rsync` judge a file changed), `missing` for a file that cannot be stat-ed, and `''`
 * for an in-memory sample (`pixels`: its `path` is its only identity). A feature cache keyed by
 * these notices a file replaced in place under the same name.
 * @returns one stamp per sample, in order.
 */
export async function sampleStamps(samples: readonly Sample[]): Promise<string[]> {
  const stamps = new Array<string>(samples.length);
  for (let start = 0; start < samples.length; start += AT_ONCE) {
    const part = samples.slice(start, start + AT_ONCE);
    await Promise.all(
      part.map(async (s, i) => {
        if (s.pixels) stamps[start + i] = '';
        else {
          const info = await stat(s.path).catch(() => undefined);
          stamps[start + i] = info ? `${info.size}:${info.mtimeMs}` : 'missing';
        }
      }),
    );
  }
  return stamps;
}
