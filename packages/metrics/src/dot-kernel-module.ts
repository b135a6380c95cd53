import { name, section, sleb, uleb, vector } from './wasm-encoding';

/**
 * The WebAssembly module behind every similarity: one function
 * `dot2x4(a, b, nb, rowBytes, out, outStride)` that writes the dot products of two float64 rows
 * at byte offset `a` (the second at `a + rowBytes`) with `nb` float64 rows at `b` (`nb` a
 * multiple of 4, rows `rowBytes` apart, `rowBytes` a multiple of 16): row 0 to `out`, row 1 to
 * `out + outStride`. Each product sums in two float64 lanes (even and odd dimensions), then adds
 * the lanes — {@link rowNormsSquared} follows the same order so a vector's distance to itself is
 * exactly 0. Two query rows by four gallery rows share each load (16 multiply-adds per 6 loads);
 * SIMD instructions need Node >= 16.4.
 *
 * The memory is imported (`env.memory`, shared, up to 4 GiB) so that worker threads share one
 * copy of the gallery.
 */
export function dotKernelModule(): Uint8Array {
  const i32 = 0x7f;
  const v128 = 0x7b;
  // Parameters 0-5, then locals.
  const P = { a: 0, b: 1, nb: 2, rowBytes: 3, out: 4, stride: 5 };
  const ints = ['j', 'k', 'pb0', 'pb1', 'pb2', 'pb3', 'a1', 'o'] as const;
  const vecs = ['s00', 's01', 's02', 's03', 's10', 's11', 's12', 's13', 'x0', 'x1', 'y'] as const;
  const index = new Map<string, number>([
    ...Object.entries(P),
    ...[...ints, ...vecs].map((local, i): [string, number] => [local, 6 + i]),
  ]);

  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  const get = (local: string) => [0x20, ...uleb(index.get(local)!)];
  const set = (local: string) => [0x21, ...uleb(index.get(local)!)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const add = [0x6a];
  const mul = [0x6c];
  const geU = [0x4f];
  const block = [0x02, 0x40];
  const loop = [0x03, 0x40];
  const end = [0x0b];
  const brIf = (depth: number) => [0x0d, depth];
  const br = (depth: number) => [0x0c, depth];
  const const32 = (n: number) => [0x41, ...sleb(n)];
  const load = (base: string, offset: string) => [
    ...get(base),
    ...get(offset),
    ...add,
    ...simd(0x00),
    4,
    0,
  ];
  const zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
  const f64x2Add = simd(0xf0);
  const f64x2Mul = simd(0xf2);
  const lane = (local: string, i: number) => [...get(local), ...simd(0x21), i];

  emit(get('a'), get('rowBytes'), add, set('a1'));
  emit(const32(0), set('j'));
  emit(block, loop);
  emit(get('j'), get('nb'), geU, brIf(1));
  emit(get('b'), get('j'), get('rowBytes'), mul, add, set('pb0'));
  emit(get('pb0'), get('rowBytes'), add, set('pb1'));
  emit(get('pb1'), get('rowBytes'), add, set('pb2'));
  emit(get('pb2'), get('rowBytes'), add, set('pb3'));
  for (const acc of vecs.slice(0, 8)) emit(zero, set(acc));
  emit(const32(0), set('k'));
  emit(block, loop);
  emit(get('k'), get('rowBytes'), geU, brIf(1));
  emit(load('a', 'k'), set('x0'));
  emit(load('a1', 'k'), set('x1'));
  for (let c = 0; c < 4; c++) {
    emit(load(`pb${c}`, 'k'), set('y'));
    emit(get(`s0${c}`), get('x0'), get('y'), f64x2Mul, f64x2Add, set(`s0${c}`));
    emit(get(`s1${c}`), get('x1'), get('y'), f64x2Mul, f64x2Add, set(`s1${c}`));
  }
  emit(get('k'), const32(16), add, set('k'));
  emit(br(0), end, end);
  emit(get('out'), get('j'), const32(8), mul, add, set('o'));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      emit(get('o'));
      if (r === 1) emit(get('stride'), add);
      // f64.add of the two lanes, f64.store with align 2^3 and offset c * 8.
      emit(lane(`s${r}${c}`, 0), lane(`s${r}${c}`, 1), [0xa0], [0x39, 3, ...uleb(c * 8)]);
    }
  }
  emit(get('j'), const32(4), add, set('j'));
  emit(br(0), end, end, end);

  const locals = vector([
    [...uleb(ints.length), i32],
    [...uleb(vecs.length), v128],
  ]);
  const body = [...locals, ...code];
  const params = vector(new Array(6).fill([i32]));
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...params, 0x00]])),
    // Imported memory: shared (limits flag 3), 1 to 65,536 pages.
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x03, 1, ...uleb(65536)]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name('dot2x4'), 0x00, 0x00]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}
