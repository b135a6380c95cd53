import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassVectorError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { DEFAULT_CLASS_SYNSETS } from './class-synset.js';
import { wordnetHierarchyBasis, wordnetHierarchyEmbeddings } from './hierarchy-embeddings.js';
import { writeTinyWordNet } from './tiny-wordnet.testkit.js';
import { WordNetNouns } from './wordnet-nouns.js';

let dict: string;

beforeAll(async () => {
  dict = join(await tempDir('hieremb'), 'dict');
  await writeTinyWordNet(dict, {
    entity: { words: ['entity'], hypernyms: [], gloss: 'root' },
    animal: { words: ['animal'], hypernyms: ['entity'], gloss: 'a living thing' },
    artifact: { words: ['artifact'], hypernyms: ['entity'], gloss: 'a made thing' },
    dog: { words: ['dog'], hypernyms: ['animal'], gloss: 'barks' },
    clock: { words: ['clock'], hypernyms: ['artifact'], gloss: 'tells time' },
    alarm_clock: { words: ['alarm_clock'], hypernyms: ['clock'], gloss: 'wakes you' },
    mouse_animal: { words: ['mouse'], hypernyms: ['animal'], gloss: 'squeaks' },
    mouse_device: { words: ['mouse'], hypernyms: ['artifact'], gloss: 'clicks' },
  });
});

describe('wordnetHierarchyEmbeddings', () => {
  it('gives each class its similarity to every node on the classes’ hypernym paths', async () => {
    const { vectors, basis } = await wordnetHierarchyBasis(['Dog', 'alarm clock'], {
      wordnetDir: dict,
    });
    // Nodes in file (offset) order: entity, animal, artifact, dog, clock, alarm_clock.
    expect(basis.nodes).toEqual([
      'entity.n.01',
      'animal.n.01',
      'artifact.n.01',
      'dog.n.01',
      'clock.n.01',
      'alarm_clock.n.01',
    ]);
    expect(basis.synsets.get('alarm clock')).toBe('alarm_clock.n.01');
    const dog = [...vectors.get('Dog')!];
    for (const [i, want] of [1 / 3, 1 / 2, 1 / 4, 1, 1 / 5, 1 / 6].entries())
      expect(dog[i]).toBeCloseTo(want, 6);
    const alarm = [...vectors.get('alarm clock')!];
    for (const [i, want] of [1 / 4, 1 / 5, 1 / 3, 1 / 6, 1 / 2, 1].entries())
      expect(alarm[i]).toBeCloseTo(want, 6);
  });

  it('takes the first sense unless told otherwise', async () => {
    const first = await wordnetHierarchyBasis(['mouse'], { wordnetDir: dict });
    expect(first.basis.nodes).toContain('animal.n.01');
    const device = await wordnetHierarchyBasis(['mouse'], {
      wordnetDir: dict,
      synsets: { mouse: 'mouse.n.02' },
    });
    expect(device.basis.nodes).toContain('artifact.n.01');
    expect(device.basis.nodes).not.toContain('animal.n.01');
  });

  it('lists every class without a synset', async () => {
    const call = wordnetHierarchyEmbeddings(['dog', 'unicorn', 'gryphon'], { wordnetDir: dict });
    await expect(call).rejects.toBeInstanceOf(ClassVectorError);
    await expect(
      wordnetHierarchyEmbeddings(['dog', 'unicorn', 'gryphon'], { wordnetDir: dict }),
    ).rejects.toThrow(/2 class\(es\): unicorn, gryphon/);
  });

  it('resolves multi-word QuickDraw names in WordNet 3.1, one dimension per node', async () => {
    const names = ['alarm clock', 'hot air balloon', 'The Eiffel Tower', 'cat'];
    const { vectors, basis } = await wordnetHierarchyBasis(names, { similarity: 'wup' });
    expect(basis.synsets.get('hot air balloon')).toBe('hot-air_balloon.n.01');
    expect(basis.synsets.get('The Eiffel Tower')).toBe('eiffel_tower.n.01');
    for (const n of names) {
      const v = vectors.get(n)!;
      expect(v.length).toBe(basis.nodes.length);
      expect(v[basis.nodes.indexOf(basis.synsets.get(n)!)]).toBeCloseTo(1, 6);
    }
  });

  it('has a WordNet 3.1 synset for every default override', async () => {
    const wn = await WordNetNouns.load();
    const unknown: string[] = [];
    for (const [cls, ref] of Object.entries(DEFAULT_CLASS_SYNSETS)) {
      if ((await wn.find(ref)) === undefined) unknown.push(`${cls} -> ${ref}`);
    }
    expect(unknown).toEqual([]);
    expect(wn.name((await wn.find('flip-flop.n.02'))!)).toBe('flip-flop.n.02');
  });
});
