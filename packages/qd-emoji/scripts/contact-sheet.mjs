// Renders contact sheets of QD-Emoji for people to look at: one row per class with a few of its
// sketches, every colour design of the gallery (one column per design set, blank where a set
// lacks the emoji) and, optionally, the first augmented training views of the class (they use
// split seed 0, so unseen classes of that split have none).
//
//   npm run build && node scripts/contact-sheet.mjs --out /tmp/qd-sheets [--classes apple,cat]
//     [--per-sheet 20] [--sketches 4] [--views 0] [--tile 96] [--cache <cache root>]
//
// Without --classes every class is drawn, --per-sheet rows to a PNG (sheet-00.png, ...).
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DESIGN_SETS, loadQdEmoji, QD_EMOJI_CLASSES } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    classes: { type: 'string' },
    'per-sheet': { type: 'string', default: '20' },
    sketches: { type: 'string', default: '4' },
    views: { type: 'string', default: '0' },
    tile: { type: 'string', default: '96' },
    cache: { type: 'string' },
  },
});
if (!args.out) {
  console.error('usage: node scripts/contact-sheet.mjs --out <folder> [--classes a,b] ...');
  process.exit(2);
}
const tile = Number(args.tile);
const nSketches = Number(args.sketches);
const nViews = Number(args.views);
const perSheet = Number(args['per-sheet']);
const labelWidth = 160;
const names = args.classes ? args.classes.split(',') : QD_EMOJI_CLASSES.map((c) => c.name);

const built = await loadQdEmoji({
  classes: names,
  cacheDir: args.cache,
  views: Math.max(nViews, 1),
  splitSeed: nViews > 0 ? 0 : undefined,
  onProgress: (p) => process.stderr.write(`\rrendering ${p.done}/${p.total}`),
});
process.stderr.write('\n');
const { dataset, trainViews } = built;
const columns = nSketches + DESIGN_SETS.length + nViews;
const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const text = (s, width, height, size = 13) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="4" y="${height / 2 + size / 3}" font-family="sans-serif" font-size="${size}">${escapeXml(s)}</text></svg>`,
  );
const tileOf = (path) =>
  sharp(path).resize(tile, tile).flatten({ background: '#fff' }).png().toBuffer();

mkdirSync(args.out, { recursive: true });
const header = 18;
for (let start = 0; start < names.length; start += perSheet) {
  const rows = names.slice(start, start + perSheet);
  const layers = [];
  const heads = [
    ...Array.from({ length: nSketches }, (_, i) => `sketch ${i}`),
    ...DESIGN_SETS.map((s) => s.id),
    ...Array.from({ length: nViews }, (_, i) => `view ${i}`),
  ];
  for (const [c, h] of heads.entries()) {
    layers.push({ input: text(h, tile, header, 9), left: labelWidth + c * tile, top: 0 });
  }
  for (const [r, name] of rows.entries()) {
    const label = dataset.classes.indexOf(name);
    const top = header + r * tile;
    const cls = QD_EMOJI_CLASSES.find((c) => c.name === name);
    layers.push({ input: text(`${name} (${cls.cldr})`, labelWidth, tile, 12), left: 0, top });
    const sketches = dataset.sketches.filter((s) => s.label === label).slice(0, nSketches);
    const cells = sketches.map((s, c) => ({ path: s.path, c }));
    for (const [k, set] of DESIGN_SETS.entries()) {
      const image = dataset.images.find(
        (s) => s.label === label && basename(s.path) === `${set.id}.png`,
      );
      if (image) cells.push({ path: image.path, c: nSketches + k });
    }
    const views = trainViews.filter((s) => s.label === label).slice(0, nViews);
    for (const [k, s] of views.entries()) {
      cells.push({ path: s.path, c: nSketches + DESIGN_SETS.length + k });
    }
    for (const cell of cells) {
      layers.push({ input: await tileOf(cell.path), left: labelWidth + cell.c * tile, top });
    }
  }
  const file = join(args.out, `sheet-${String(start / perSheet).padStart(2, '0')}.png`);
  await sharp({
    create: {
      width: labelWidth + columns * tile,
      height: header + rows.length * tile,
      channels: 3,
      background: '#ffffff',
    },
  })
    .composite(layers)
    .png()
    .toFile(file);
  console.log(`wrote ${file}`);
}
