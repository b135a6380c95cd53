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

/** The instructions the kernels use, each as its bytes (memory ones with natural alignment, offset 0). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  return: [0x0f],
  select: [0x1b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  call: (index: number) => [0x10, ...uleb(index)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LeS: [0x4c],
  i32Or: [0x72],
  i32ShrS: [0x75],
  i32ShrU: [0x76],
  f64Eq: [0x61],
  f64Ne: [0x62],
  f64Lt: [0x63],
  f64Gt: [0x64],
  f64Le: [0x65],
  f64Div: [0xa3],
  f64Store: [0x39, 3, 0],
  f64ConvertI32S: [0xb7],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32GtS: [0x4a],
  i32GeS: [0x4e],
  i32GeU: [0x4f],
  i32Load: [0x28, 2, 0],
  i32Load8U: [0x2d, 0, 0],
  i32Store: [0x36, 2, 0],
  i32Store8: [0x3a, 0, 0],
  f64Load: [0x2b, 3, 0],
  f64Abs: [0x99],
  f64Ceil: [0x9b],
  f64Floor: [0x9c],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Min: [0xa4],
  f64Max: [0xa5],
  i32TruncSatF64S: [0xfc, 0x02],
  memoryFill: [0xfc, 0x0b, 0x00],
};
