// Writes the fixed default split data/split-default.json ("qd-emoji-default") with the package's
// own seeded split rule (groupedRandomSplit: 25% of classes unseen, 15% of the rest for validation,
// WordNet near-synonym groups from data/near-synonyms.json kept on one side), seed DEFAULT_SEED.
// The file is committed and never recomputed at run time: changing the rule later does not move it.
//
//   npm run build && node scripts/make-default-split.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupedRandomSplit, QD_EMOJI_CLASSES } from '../dist/index.js';
import { writeJson } from './write-json.mjs';

const DEFAULT_SEED = 2026;
const here = dirname(fileURLToPath(import.meta.url));
const split = groupedRandomSplit(
  QD_EMOJI_CLASSES.map((c) => c.name),
  DEFAULT_SEED,
);
const out = { ...split, name: 'qd-emoji-default' };
writeJson(join(here, '..', 'data', 'split-default.json'), out);
console.log(
  `seen ${out.seen.length}, validation ${out.validation.length}, unseen ${out.unseen.length}`,
);
console.log(`unseen: ${out.unseen.join(', ')}`);
console.log(`validation: ${out.validation.join(', ')}`);
