import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseClassName } from '../class-name.js';
import { NumpyLegacyRandom } from './numpy-legacy-random.testkit.js';
import { SPLIT_FILES } from './split-file.js';

// The shipped split files, checked against the class lists of the releases they come from
// (src/__fixtures__/splits/README.md names each source).
function source(name: string): string[] {
  const url = new URL(`../__fixtures__/splits/${name}`, import.meta.url);
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0);
}

const norm = (names: readonly string[]) => [...new Set(names.map(normaliseClassName))].sort();
const setdiff = (a: readonly string[], b: readonly string[]) =>
  [...new Set(a)].filter((x) => !b.includes(x)).sort();

/** SEM-PCYC's unseen classes (validation + test), as its src/utils.py draws them with numpy seed 0. */
function semPcyc(folders: string[], trainShare: number, valShare: number): string[] {
  const classes = [...folders].sort();
  const rng = new NumpyLegacyRandom(0);
  const train = rng.choice(classes, Math.floor(trainShare * classes.length));
  const val = rng.choice(setdiff(classes, train), Math.floor(valShare * classes.length));
  const test = setdiff(classes, [...train, ...val]);
  return [...test, ...val].sort();
}

const sketchy = source('sketchy-classes.txt');
const tuBerlin = source('tu-berlin-classes.txt');

describe('shipped split files', () => {
  it('list every class of their dataset, seen and unseen disjoint', () => {
    for (const [key, file] of Object.entries(SPLIT_FILES)) {
      const all = key.startsWith('sketchy/') ? sketchy : tuBerlin;
      expect(file.classes, key).toEqual(norm(all));
      expect([...file.seen, ...file.unseen].sort(), key).toEqual(file.classes);
    }
    expect(sketchy.length).toBe(125);
    expect(tuBerlin.length).toBe(250);
  });

  it('sem-pcyc matches numpy seed 0 over the SEM-PCYC folder names', () => {
    const skFolders = sketchy.map(
      (c) => ({ 'hot-air_balloon': 'hot_air_balloon', 'jack-o-lantern': 'jack_o_lantern' })[c] ?? c,
    );
    expect(SPLIT_FILES['sketchy/sem-pcyc']!.unseen).toEqual(norm(semPcyc(skFolders, 0.8, 0.1)));
    const tuFolders = tuBerlin.map((c) => c.replace(/ /g, '_'));
    expect(SPLIT_FILES['tu-berlin/sem-pcyc']!.unseen).toEqual(norm(semPcyc(tuFolders, 0.88, 0.06)));
    expect(SPLIT_FILES['sketchy/sem-pcyc']!.unseen).toHaveLength(25);
    expect(SPLIT_FILES['tu-berlin/sem-pcyc']!.unseen).toHaveLength(30);
  });

  it('sake matches cname_cid_zero (Sketchy) and the classes missing from the seen test list (TU-Berlin)', () => {
    expect(SPLIT_FILES['sketchy/sake']!.unseen).toEqual(
      norm(source('sake-sketchy-zero-classes.txt')),
    );
    const seen = source('sake-tu-berlin-test-classes.txt');
    expect(seen).toHaveLength(220);
    expect(SPLIT_FILES['tu-berlin/sake']!.unseen).toEqual(norm(setdiff(tuBerlin, seen)));
    expect(SPLIT_FILES['tu-berlin/sake']!.seen).toEqual(norm(seen));
  });

  it('yelamarthi matches test_classes_eccv_2018.txt', () => {
    expect(SPLIT_FILES['sketchy/yelamarthi']!.unseen).toEqual(
      norm(source('yelamarthi-test-classes-eccv-2018.txt')),
    );
    expect(SPLIT_FILES['sketchy/yelamarthi']!.seen).toHaveLength(104);
  });
});
