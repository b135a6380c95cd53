import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

/** What {@link writeTree} puts at a path. */
export type TreeEntry = 'png' | 'jpg' | 'corrupt-jpg' | 'truncated-jpg' | 'dir' | { text: string };

async function jpeg(width = 24, height = 16): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
}

/**
 * Writes a small dataset tree under `root`: images made by sharp, a corrupt JPEG (random bytes),
 * a truncated JPEG (valid header, half the body), empty folders and text files.
 */
export async function writeTree(root: string, entries: Record<string, TreeEntry>): Promise<void> {
  for (const [rel, entry] of Object.entries(entries)) {
    const path = join(root, rel);
    if (entry === 'dir') {
      await mkdir(path, { recursive: true });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    if (entry === 'png') {
      await sharp({ create: { width: 20, height: 20, channels: 4, background: '#00000000' } })
        .png()
        .toFile(path);
    } else if (entry === 'jpg') {
      await writeFile(path, await jpeg());
    } else if (entry === 'corrupt-jpg') {
      await writeFile(path, Buffer.from('this is not a jpeg, just text with a .jpg name'));
    } else if (entry === 'truncated-jpg') {
      // Large enough that the cut falls after the header: it passes a header check, fails decoding.
      const full = await jpeg(400, 300);
      await writeFile(path, full.subarray(0, full.length >> 1));
    } else {
      await writeFile(path, entry.text);
    }
  }
}
