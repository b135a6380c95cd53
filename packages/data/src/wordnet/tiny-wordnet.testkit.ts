import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A synset of a hand-made WordNet: its lemmas and the names of its hypernyms. */
export interface TinySynset {
  words: string[];
  hypernyms: string[];
  gloss: string;
}

/**
 * Writes `data.noun` and `index.noun` in WordNet's format for a small hand-made taxonomy, keyed
 * by each synset's first lemma. Offsets are byte offsets, as in the real files.
 *
 * @returns lemma -> offset.
 */
export async function writeTinyWordNet(
  dir: string,
  synsets: Record<string, TinySynset>,
): Promise<Map<string, number>> {
  await mkdir(dir, { recursive: true });
  const header = '  1 hand-made WordNet for tests  \n';
  const names = Object.keys(synsets);
  const line = (name: string, offsets: Map<string, number>) => {
    const s = synsets[name]!;
    const words = s.words.map((w) => `${w} 0`).join(' ');
    const ptrs = s.hypernyms
      .map((h) => `@ ${String(offsets.get(h) ?? 0).padStart(8, '0')} n 0000`)
      .join(' ');
    const count = String(s.hypernyms.length).padStart(3, '0');
    const wordCount = s.words.length.toString(16).padStart(2, '0');
    return `${String(offsets.get(name) ?? 0).padStart(8, '0')} 03 n ${wordCount} ${words} ${count}${ptrs ? ` ${ptrs}` : ''} | ${s.gloss}  \n`;
  };
  const offsets = new Map<string, number>();
  let at = header.length;
  for (const name of names) {
    offsets.set(name, at);
    at += Buffer.byteLength(line(name, new Map()));
  }
  await writeFile(join(dir, 'data.noun'), header + names.map((n) => line(n, offsets)).join(''));
  const lemmas = new Map<string, number[]>();
  for (const name of names) {
    for (const w of synsets[name]!.words)
      lemmas.set(w, [...(lemmas.get(w) ?? []), offsets.get(name)!]);
  }
  const index = [...lemmas]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([w, offs]) =>
        `${w} n ${offs.length} 1 @ ${offs.length} 0 ${offs.map((o) => String(o).padStart(8, '0')).join(' ')}  `,
    )
    .join('\n');
  await writeFile(join(dir, 'index.noun'), `${header}${index}\n`);
  return offsets;
}
