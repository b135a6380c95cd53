import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateJson } from '@zs-sbir/core';
import * as v from 'valibot';
import type { DesignSet } from './design-sets.js';
import { QdEmojiError } from './errors.js';
import { packageDir } from './package-paths.js';

// The parts of an Iconify `icons.json` this reader uses (other keys are ignored).
const box = {
  left: v.optional(v.number()),
  top: v.optional(v.number()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
};
const ICONIFY_SET = v.object({
  icons: v.record(v.string(), v.object({ body: v.string(), ...box })),
  ...box,
});
type IconifySet = v.InferOutput<typeof ICONIFY_SET>;

/** One design ready for sharp: an SVG document or the bytes of a raster file. */
export interface DesignInput {
  /** `svg` inputs are rendered at the size the caller asks; `raster` inputs are resized. */
  format: 'svg' | 'raster';
  data: Buffer;
  /** Where it came from, for error messages: `<package>#<icon>` or a file path. */
  origin: string;
}

/**
 * Reads emoji designs from the installed design-set packages. Each Iconify `icons.json` is parsed
 * once, on first use, and kept until the source is dropped (the largest is about 100 MB of JSON).
 */
export class DesignSource {
  private readonly iconSets = new Map<string, Promise<IconifySet>>();

  /**
   * The design `icon` of `set` as an SVG document of `size` x `size` px, or raster bytes.
   *
   * @throws QdEmojiError naming the set and icon when the icon does not exist, or the file and key
   *   when the set's `icons.json` is not an Iconify icon set.
   */
  async load(set: DesignSet, icon: string, size: number): Promise<DesignInput> {
    if (set.kind === 'webp-folder') {
      const file = join(packageDir(set.package), 'assets', icon);
      try {
        return { format: 'raster', data: await readFile(file), origin: file };
      } catch (cause) {
        throw new QdEmojiError(`design set ${set.id}: cannot read ${file}`, { cause });
      }
    }
    const icons = await this.iconSet(set);
    const found = icons.icons[icon];
    if (!found) {
      throw new QdEmojiError(
        `design set ${set.id}: icon "${icon}" not found in ${set.package}/icons.json`,
      );
    }
    const left = found.left ?? icons.left ?? 0;
    const top = found.top ?? icons.top ?? 0;
    const width = found.width ?? icons.width ?? 16;
    const height = found.height ?? icons.height ?? 16;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
      `width="${size}" height="${size}" viewBox="${left} ${top} ${width} ${height}">` +
      `${found.body}</svg>`;
    return { format: 'svg', data: Buffer.from(svg), origin: `${set.package}#${icon}` };
  }

  private iconSet(set: DesignSet): Promise<IconifySet> {
    let pending = this.iconSets.get(set.id);
    if (!pending) {
      const file = join(packageDir(set.package), 'icons.json');
      pending = readFile(file, 'utf8').then(
        (text) =>
          validateJson(ICONIFY_SET, text, { where: file, noun: 'key', error: QdEmojiError }),
        (cause) => {
          throw new QdEmojiError(`design set ${set.id}: cannot read ${file}`, { cause });
        },
      );
      this.iconSets.set(set.id, pending);
    }
    return pending;
  }
}
