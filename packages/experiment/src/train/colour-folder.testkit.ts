import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** The classes of {@link writeColourFolder}: WordNet nouns, so hierarchy side information needs no word vectors. */
export const COLOUR_FOLDER_CLASSES = [
  'cat',
  'dog',
  'cow',
  'horse',
  'sheep',
  'pig',
  'duck',
  'goat',
  'owl',
  'frog',
] as const;

/**
 * Writes a tiny `folder` dataset under `root` (tests only): per class 4 light sketches and 3
 * dark images, 16 px PNGs of one colour each, the class telling the colour.
 */
export async function writeColourFolder(root: string): Promise<void> {
  for (const [c, name] of COLOUR_FOLDER_CLASSES.entries()) {
    for (const [kind, count, shade] of [
      ['sketches', 4, 200],
      ['images', 3, 60],
    ] as const) {
      await mkdir(join(root, kind, name), { recursive: true });
      for (let i = 0; i < count; i++) {
        const colour = { r: (c * 25 + i * 3) % 256, g: shade, b: (255 - c * 25) % 256 };
        await sharp({ create: { width: 16, height: 16, channels: 3, background: colour } })
          .png()
          .toFile(join(root, kind, name, `${i}.png`));
      }
    }
  }
}

/** Writes to `file` a WAD-CMSN config small enough for a test to train in seconds. */
export async function writeTinyConfig(file: string): Promise<void> {
  await writeFile(
    file,
    JSON.stringify({
      embeddingDim: 4,
      critic: { steps: 1 },
      training: { batchSize: 6, stepsPerEpoch: 2, epochs: 2, patience: 5 },
    }),
  );
}
