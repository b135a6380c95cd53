import { normaliseClassName } from '../class-name.js';
import type { WordNetNouns } from './wordnet-nouns.js';

/**
 * Senses for Sketchy, TU-Berlin and Quick, Draw! classes whose first noun sense is not the drawn
 * object, or whose name is not a WordNet lemma (then the nearest WordNet concept: `ceiling fan`
 * -> `fan.n.01`). nltk-style names, checked against WordNet 3.1 glosses; the Sketchy and
 * TU-Berlin choices follow SAKE's `sketchy_to_wnid.py` / `tuberlin_to_wnid.py` where it names one.
 */
export const DEFAULT_CLASS_SYNSETS: Readonly<Record<string, string>> = {
  'car_(sedan)': 'sedan.n.01',
  'crane_(machine)': 'crane.n.04',
  computer_mouse: 'mouse.n.04',
  'pipe_(for_smoking)': 'pipe.n.01',
  present: 'present.n.02',
  teddy_bear: 'teddy.n.01',
  flying_saucer: 'flying_saucer.n.01',
  potted_plant: 'pot_plant.n.01',
  person_walking: 'person.n.01',
  person_sitting: 'person.n.01',
  power_outlet: 'wall_socket.n.01',
  flower_with_stem: 'flower.n.01',
  human_skeleton: 'skeleton.n.03',
  tablelamp: 'table_lamp.n.01',
  hot_dog: 'hotdog.n.02',
  jack_o_lantern: "jack-o'-lantern.n.02",
  animal_migration: 'migration.n.04',
  ceiling_fan: 'fan.n.01',
  firetruck: 'fire_engine.n.01',
  flip_flops: 'flip-flop.n.02',
  paint_can: 'can.n.01',
  rollerskates: 'roller_skate.n.01',
  smiley_face: 'smiley.n.01',
  stop_sign: 'street_sign.n.01',
  swing_set: 'swing.n.02',
  the_mona_lisa: 'painting.n.01',
  waterslide: 'water_chute.n.01',
};

/** nltk's noun `morphy` suffix rules, for plural class names (`rollerblades`). */
const NOUN_SUFFIXES: readonly [string, string][] = [
  ['ses', 's'],
  ['xes', 'x'],
  ['zes', 'z'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['men', 'man'],
  ['ies', 'y'],
  ['s', ''],
];

function lemmaCandidates(name: string): string[] {
  const n = normaliseClassName(name);
  const bare = n.replace(/[()]/g, '').replace(/_+/g, '_').replace(/^_|_$/g, '');
  const forms = [
    bare,
    n.replace(/_?\(.*?\)/g, ''),
    bare.replace(/^the_/, ''),
    bare.replace(/_/g, ''),
  ];
  const out: string[] = [];
  for (const f of forms) {
    out.push(f);
    for (const [suffix, base] of NOUN_SUFFIXES)
      if (f.endsWith(suffix)) out.push(f.slice(0, -suffix.length) + base);
  }
  return [...new Set(out.filter((f) => f.length > 0))];
}

/**
 * The noun synset a class name stands for: an override (`overrides`, then
 * {@link DEFAULT_CLASS_SYNSETS}) by nltk-style name, sense key or offset; else the first noun
 * sense of the name as a lemma (parentheses dropped; the parenthesised part dropped; a leading
 * `the` dropped; the words joined; each with nltk's plural rules), as SEM-PCYC's `create_hier_emb.py` takes `wn.synsets(name, 'n')[0]`.
 *
 * @returns the synset offset, or `undefined` when nothing matches.
 */
export async function classSynset(
  wordnet: WordNetNouns,
  name: string,
  overrides: Readonly<Record<string, string>> = {},
): Promise<number | undefined> {
  const n = normaliseClassName(name);
  const own = (r: Readonly<Record<string, string>>, k: string) =>
    Object.hasOwn(r, k) ? r[k] : undefined;
  const ref = own(overrides, name) ?? own(overrides, n) ?? own(DEFAULT_CLASS_SYNSETS, n);
  if (ref !== undefined) return wordnet.find(ref);
  for (const lemma of lemmaCandidates(name)) {
    const senses = wordnet.lookup(lemma);
    if (senses.length > 0) return senses[0];
  }
  return undefined;
}
