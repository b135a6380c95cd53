import { sleb, uleb, vector } from './wasm-encoding.js';

/** A WebAssembly value type: its name and its binary encoding. */
export type ValueType = 'i32' | 'f64' | 'v128';

/** Binary encoding of each {@link ValueType}. */
export const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** A function type `(params) -> (results)` in the binary format. */
export function functionType(params: ValueType[], results: ValueType[]): number[] {
  return [
    0x60,
    ...vector(params.map((t) => [VALUE_TYPE[t]])),
    ...vector(results.map((t) => [VALUE_TYPE[t]])),
  ];
}

/**
 * Instruction helpers for one function body: `params` and then `locals`, each a name and a type,
 * addressed by name. `body()` gives the body with its locals declaration and the final `end`.
 */
export function assembler(params: [string, ValueType][], locals: [string, ValueType][]) {
  const all = [...params, ...locals];
  const index = new Map(all.map(([local], i): [string, number] => [local, i]));
  const code: number[] = [];
  const at = (local: string) => {
    const i = index.get(local);
    if (i === undefined) throw new Error(`assembler: no local ${local}`);
    return uleb(i);
  };
  const get = (local: string) => [0x20, ...at(local)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  // Locals declaration: runs of one type.
  const runs: number[][] = [];
  for (let i = 0; i < locals.length; ) {
    let j = i;
    while (j < locals.length && locals[j]![1] === locals[i]![1]) j++;
    runs.push([...uleb(j - i), VALUE_TYPE[locals[i]![1]]]);
    i = j;
  }
  return {
    code,
    emit: (...parts: number[][]) => {
      for (const p of parts) code.push(...p);
    },
    get,
    set: (local: string) => [0x21, ...at(local)],
    tee: (local: string) => [0x22, ...at(local)],
    simd,
    const32: (n: number) => [0x41, ...sleb(n)],
    constF64: (x: number) => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
    /** v128.load, alignment 2^4, constant offset. */
    load: (pointer: string, offset: number) => [...get(pointer), ...simd(0x00), 4, ...uleb(offset)],
    zero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
    lane: (local: string, op: number, i: number) => [...get(local), ...simd(op), i],
    body: () => [...vector(runs), ...code, 0x0b],
  };
}
