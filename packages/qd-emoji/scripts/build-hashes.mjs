// Writes src/__fixtures__/build-64px-sha256.json: the sha256 of every file of a small QD-Emoji
// build (the classes and options of load-qd-emoji.test.ts), which that test compares a fresh
// build against, so a faster renderer cannot change a byte of a cached build unnoticed. Run it
// (built from the code whose output is the reference) only when RENDER_VERSION changes:
//
//   npm run build && node scripts/build-hashes.mjs
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadQdEmoji, RENDER_VERSION, viewParams } from '../dist/index.js';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = { classes: ['airplane', 'ambulance', 'truck'], size: 64, views: 2 };
const cacheDir = mkdtempSync(join(tmpdir(), 'qd-emoji-hashes-'));
try {
  const built = await loadQdEmoji({ ...options, cacheDir });
  const paths = [...built.dataset.sketches, ...built.dataset.images, ...built.trainViews]
    .map((s) => s.path)
    .sort();
  const files = Object.fromEntries(
    paths.map((p) => [
      relative(built.dir, p),
      createHash('sha256').update(readFileSync(p)).digest('hex'),
    ]),
  );
  const kinds = new Set(
    built.trainViews.map((s) => {
      const [cls, file] = relative(join(built.dir, 'views', 'seed-0'), s.path).split('/');
      const [set, index] = file.replace('.png', '').split(/-(?=\d+$)/);
      return viewParams(0, cls, set, Number(index)).background.kind;
    }),
  );
  const out = join(here, 'src', '__fixtures__', 'build-64px-sha256.json');
  writeFileSync(
    out,
    `${JSON.stringify({ renderVersion: RENDER_VERSION, options, files }, null, 2)}\n`,
  );
  console.log(`${paths.length} files, view backgrounds: ${[...kinds].sort().join(', ')} -> ${out}`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
