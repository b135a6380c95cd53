import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Sample } from '@zs-sbir/core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from './errors.js';
import { type ImageBatch, imageBatches } from './image-batches.js';
import { tempDir } from './temp-dir.testkit.js';

let samples: Sample[];
let patterned: Sample[];
const SIZE = 4;

async function collect(it: AsyncIterable<ImageBatch>): Promise<ImageBatch[]> {
  const out: ImageBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

beforeAll(async () => {
  const dir = await tempDir('batches');
  samples = [];
  // Image i is a flat grey of value 10 * i, so every row of a batch says which file it came from.
  for (let i = 0; i < 7; i++) {
    const path = join(dir, `img-${i}.png`);
    const v = 10 * i;
    await sharp({ create: { width: 6, height: 5, channels: 3, background: { r: v, g: v, b: v } } })
      .png()
      .toFile(path);
    samples.push({ path, label: i % 2 });
  }
  const corrupt = join(dir, 'corrupt.jpg');
  const jpeg = await sharp({
    create: { width: 32, height: 32, channels: 3, background: '#808080' },
  })
    .jpeg()
    .toBuffer();
  await writeFile(corrupt, jpeg.subarray(0, jpeg.length >> 1));
  samples.splice(3, 0, { path: corrupt, label: 0 });
  // 8x8 images whose pixels all differ, so flips and crops change the output.
  patterned = Array.from({ length: 8 }, (_, i) => {
    const data = Uint8Array.from({ length: 8 * 8 * 3 }, (_, k) => (k * 7 + i * 31) % 256);
    return {
      path: `pattern-${i}`,
      label: 0,
      pixels: { data, width: 8, height: 8, channels: 3 as const },
    };
  });
});

function firstValue(batch: ImageBatch, row: number): number {
  return Math.round(batch.data[row * SIZE * SIZE * 3]! * 255);
}

describe('imageBatches', () => {
  it('numbers batches by position, leaves a corrupt file out and reports it', async () => {
    const skipped: string[] = [];
    const batches = await collect(
      imageBatches(samples, {
        size: SIZE,
        batchSize: 3,
        concurrency: 2,
        onSkip: (s) => skipped.push(s.path),
      }),
    );
    expect(batches.map((b) => b.index)).toEqual([0, 1, 2]);
    expect(batches.map((b) => b.count)).toEqual([3, 2, 2]);
    expect(batches[1]!.skipped.map((s) => s.path)).toEqual([samples[3]!.path]);
    expect(skipped).toEqual([samples[3]!.path]);
    expect(batches[1]!.data.length).toBe(2 * SIZE * SIZE * 3);
    expect(batches[1]!.samples.map((s) => s.path)).toEqual([samples[4]!.path, samples[5]!.path]);
    // Row order follows sample order: grey levels 0, 10, 20 | (corrupt) 30, 40 | 50, 60.
    const levels = batches.flatMap((b) =>
      Array.from({ length: b.count }, (_, r) => firstValue(b, r)),
    );
    expect(levels).toEqual([0, 10, 20, 30, 40, 50, 60]);
  });

  it('resumes at startBatch', async () => {
    const batches = await collect(
      imageBatches(samples, { size: SIZE, batchSize: 3, startBatch: 2 }),
    );
    expect(batches.map((b) => b.index)).toEqual([2]);
    expect(firstValue(batches[0]!, 0)).toBe(50);
  });

  it('throws naming the file when strict', async () => {
    await expect(
      collect(imageBatches(samples, { size: SIZE, batchSize: 4, strict: true })),
    ).rejects.toThrow(/ImageError|cannot decode .*corrupt\.jpg/);
    await expect(
      collect(imageBatches(samples, { size: SIZE, batchSize: 4, strict: true })),
    ).rejects.toBeInstanceOf(ImageError);
  });

  it('draws augmentations in sample order whatever the concurrency', async () => {
    const run = (concurrency: number) =>
      collect(
        imageBatches(patterned, {
          size: SIZE,
          batchSize: 8,
          concurrency,
          augment: { flip: true, crop: 0.5 },
          rng: createRng(7),
        }),
      );
    const [a] = await run(1);
    const [b] = await run(3);
    expect(Array.from(a!.data)).toEqual(Array.from(b!.data));
  });

  it('resumes with the augmentations the full run drew', async () => {
    const opts = {
      size: SIZE,
      batchSize: 2,
      kernel: 'nearest' as const,
      augment: { flip: true, crop: 0.5 },
    };
    const full = await collect(imageBatches(patterned, { ...opts, rng: createRng(11) }));
    const resumed = await collect(
      imageBatches(patterned, { ...opts, rng: createRng(11), startBatch: 2 }),
    );
    const other = await collect(
      imageBatches(patterned, { ...opts, rng: createRng(12), startBatch: 2 }),
    );
    expect(resumed.map((b) => b.index)).toEqual([2, 3]);
    expect(Array.from(resumed[0]!.data)).toEqual(Array.from(full[2]!.data));
    expect(Array.from(resumed[1]!.data)).toEqual(Array.from(full[3]!.data));
    expect(Array.from(other[0]!.data).concat(Array.from(other[1]!.data))).not.toEqual(
      Array.from(full[2]!.data).concat(Array.from(full[3]!.data)),
    );
  });

  it('refuses augmentation without a seeded rng, and bad sizes', async () => {
    await expect(
      collect(imageBatches(samples, { size: SIZE, batchSize: 2, augment: { flip: true } })),
    ).rejects.toThrow(/rng/);
    await expect(collect(imageBatches(samples, { size: SIZE, batchSize: 0 }))).rejects.toThrow(
      /batchSize/,
    );
  });

  it('keeps at most `concurrency` decodes in flight', async () => {
    // Pixels in memory decode through the same path; a counting getter sees every start.
    let started = 0;
    let consumedRows = 0;
    let maxAhead = 0;
    const many: Sample[] = Array.from({ length: 40 }, (_, i) => ({
      path: `mem-${i}`,
      label: 0,
      get pixels() {
        started++;
        maxAhead = Math.max(maxAhead, started - consumedRows);
        return {
          data: new Uint8Array(4 * 4 * 3).fill(i),
          width: 4,
          height: 4,
          channels: 3 as const,
        };
      },
    }));
    for await (const b of imageBatches(many, { size: SIZE, batchSize: 1, concurrency: 3 })) {
      consumedRows += b.count;
    }
    expect(consumedRows).toBe(40);
    expect(maxAhead).toBeLessThanOrEqual(3);
  });
});
