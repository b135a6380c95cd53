import { name, section, sleb, uleb, vector } from './wasm-encoding.js';

/**
 * The WebAssembly module behind every similarity: one function
 * `dot2x4(a, b, quads, pairBytes, out, outStride)` computing the dot products of two query rows
 * with `quads` groups of four gallery rows, all float64 in a packed layout:
 *
 * - queries at byte offset `a`: for each dimension pair p, q0[2p..2p+1] then q1[2p..2p+1]
 *   (32 bytes per pair, `pairBytes` = 32 x pairs);
 * - gallery at `b`: per group of four rows, for each dimension pair p, g0[2p..2p+1], g1, g2, g3
 *   (64 bytes per pair, 2 x `pairBytes` per group);
 * - results: query 0 against the 4 x `quads` rows to `out`, query 1 to `out + outStride`.
 *
 * One pointer per side walks the pairs, so the six loads of each step use constant offsets; each
 * product sums in two float64 lanes (even and odd dimensions) that are added at the end —
 * {@link rowNormsSquared} follows the same order so a vector's distance to itself is exactly 0.
 * SIMD instructions need Node >= 16.4. The memory is imported (`env.memory`, shared, up to
 * 4 GiB) so that worker threads share one copy of the gallery.
 */
export function dotKernelModule(): Uint8Array {
  const i32 = 0x7f;
  const v128 = 0x7b;
  // Parameters 0-5, then locals.
  const params = ['a', 'b', 'quads', 'pairBytes', 'out', 'stride'];
  const ints = ['j', 'pa', 'pb', 'end', 'o'];
  const accumulators = ['s00', 's01', 's02', 's03', 's10', 's11', 's12', 's13'];
  const vecs = [...accumulators, 'x0', 'x1', 'y'];
  const index = new Map(
    [...params, ...ints, ...vecs].map((local, i): [string, number] => [local, i]),
  );

  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const p of parts) code.push(...p);
  };
  const get = (local: string) => [0x20, ...uleb(index.get(local)!)];
  const set = (local: string) => [0x21, ...uleb(index.get(local)!)];
  const tee = (local: string) => [0x22, ...uleb(index.get(local)!)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const add = [0x6a];
  const mul = [0x6c];
  const geU = [0x4f];
  const ltU = [0x49];
  const block = [0x02, 0x40];
  const loop = [0x03, 0x40];
  const end = [0x0b];
  const brIf = (depth: number) => [0x0d, depth];
  const br = (depth: number) => [0x0c, depth];
  const const32 = (n: number) => [0x41, ...sleb(n)];
  // v128.load, alignment 2^4, constant offset.
  const load = (pointer: string, offset: number) => [
    ...get(pointer),
    ...simd(0x00),
    4,
    ...uleb(offset),
  ];
  const zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
  const f64x2Add = simd(0xf0);
  const f64x2Mul = simd(0xf2);
  const lane = (local: string, i: number) => [...get(local), ...simd(0x21), i];

  emit(const32(0), set('j'), get('b'), set('pb'));
  emit(block, loop);
  emit(get('j'), get('quads'), geU, brIf(1));
  for (const acc of accumulators) emit(zero, set(acc));
  emit(get('a'), tee('pa'), get('pairBytes'), add, set('end'));
  emit(loop);
  emit(load('pa', 0), set('x0'), load('pa', 16), set('x1'));
  for (let c = 0; c < 4; c++) {
    emit(load('pb', 16 * c), set('y'));
    emit(get(`s0${c}`), get('x0'), get('y'), f64x2Mul, f64x2Add, set(`s0${c}`));
    emit(get(`s1${c}`), get('x1'), get('y'), f64x2Mul, f64x2Add, set(`s1${c}`));
  }
  emit(get('pb'), const32(64), add, set('pb'));
  emit(get('pa'), const32(32), add, tee('pa'), get('end'), ltU, brIf(0), end);
  emit(get('out'), get('j'), const32(32), mul, add, set('o'));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      emit(get('o'));
      if (r === 1) emit(get('stride'), add);
      // f64.add of the two lanes, f64.store with align 2^3 and offset c * 8.
      emit(lane(`s${r}${c}`, 0), lane(`s${r}${c}`, 1), [0xa0], [0x39, 3, ...uleb(c * 8)]);
    }
  }
  emit(get('j'), const32(1), add, set('j'));
  emit(br(0), end, end, end);

  const locals = vector([
    [...uleb(ints.length), i32],
    [...uleb(vecs.length), v128],
  ]);
  const body = [...locals, ...code];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector(params.map(() => [i32])), 0x00]])),
    // Imported memory: shared (limits flag 3), 1 to 65,536 pages.
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x03, 1, ...uleb(65536)]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name('dot2x4'), 0x00, 0x00]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}
