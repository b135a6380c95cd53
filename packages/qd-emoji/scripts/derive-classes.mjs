// Derives data/classes.json (the reviewed QD-Emoji class list) from the project's shared class map
// and this package's review file data/class-review.json.
//
//   node scripts/derive-classes.mjs /work/shared/data/qd-emoji-classes.json
//
// Every class keeps the QuickDraw category, the CLDR emoji name and code point it was matched to,
// and, for each colour design set that has that emoji, the exact icon name (or 3D file) to render.
// Emoji are resolved by CLDR name or code point, never by a bare word ("apple" is a logo in some
// sets). Classes flagged ambiguous, dropped by the review, or with fewer than MIN_DESIGNS designs
// are left out; the reasons are printed.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJson } from './write-json.mjs';

const MIN_DESIGNS = 7;
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', 'data');
const require = createRequire(import.meta.url);

const sharedPath = process.argv[2];
if (!sharedPath) {
  console.error('usage: node scripts/derive-classes.mjs <path to qd-emoji-classes.json>');
  process.exit(2);
}
const shared = JSON.parse(readFileSync(sharedPath, 'utf8'));
const review = JSON.parse(readFileSync(join(dataDir, 'class-review.json'), 'utf8'));
const designSets = JSON.parse(readFileSync(join(dataDir, 'design-sets.json'), 'utf8'));

const iconSets = new Map();
for (const set of designSets.filter((s) => s.kind === 'iconify')) {
  iconSets.set(set.id, require(`${set.package}/icons.json`));
}
const webpDir = (set) => join(dirname(require.resolve(`${set.package}/package.json`)), 'assets');

/** The icon name of `cldr` in an Iconify set (aliases without transforms resolve to their parent). */
function iconifyName(icons, cldr) {
  for (const name of [cldr, cldr.replace(/-/g, '')]) {
    if (icons.icons[name]) return name;
    const alias = icons.aliases?.[name];
    if (alias && Object.keys(alias).length === 1 && icons.icons[alias.parent]) return alias.parent;
  }
  return undefined;
}

/** The 3D render file of a code point (with or without the emoji presentation selector). */
function webpName(set, codepoint) {
  for (const name of [`${codepoint}.webp`, `${codepoint}-fe0f.webp`]) {
    if (existsSync(join(webpDir(set), name))) return name;
  }
  return undefined;
}

const normalise = (name) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

const out = [];
for (const entry of shared) {
  const qd = entry.quickdraw;
  const fix = review.remap[qd] ?? {};
  const cldr = fix.cldr ?? entry.cldr;
  const codepoint = fix.codepoint ?? entry.codepoint;
  if (review.drop[qd]) {
    console.log(`drop ${qd}: ${review.drop[qd]}`);
    continue;
  }
  if (entry.ambiguous && !fix.cldr) {
    console.log(`drop ${qd}: flagged ambiguous in the shared map (${entry.cldr})`);
    continue;
  }
  const designs = {};
  for (const set of designSets) {
    if (review.dropDesign[qd]?.[set.id]) continue;
    const override = review.iconName[qd]?.[set.id]?.icon;
    const name =
      override ??
      (set.kind === 'iconify' ? iconifyName(iconSets.get(set.id), cldr) : webpName(set, codepoint));
    if (name) designs[set.id] = name;
  }
  const count = Object.keys(designs).length;
  if (count < MIN_DESIGNS) {
    console.log(`drop ${qd}: ${count} colour designs (${MIN_DESIGNS} needed)`);
    continue;
  }
  out.push({ name: normalise(qd), quickdraw: qd, cldr, codepoint, designs });
}
out.sort((a, b) => a.name.localeCompare(b.name));
writeJson(join(dataDir, 'classes.json'), out);
const designs = out.reduce((n, c) => n + Object.keys(c.designs).length, 0);
console.log(`wrote ${out.length} classes, ${designs} designs to data/classes.json`);
