import {
  COUNT_CELLS_TYPE,
  countCellsBody,
  PREPARE_CELLS_TYPE,
  prepareCellsBody,
  SCALE_SCORES_TYPE,
  scaleScoresBody,
} from './bounded-pass-bodies.js';
import {
  BUILD_GRID_TYPE,
  buildGridBody,
  DISTINCT_TYPE,
  distinctBody,
  RANK_RELEVANT_TYPE,
  rankRelevantBody,
  SIFT_DOWN_TYPE,
  SLOT_OF_TYPE,
  SORT_DESCENDING_TYPE,
  siftDownBody,
  slotOfBody,
  sortDescendingBody,
} from './bounded-rank-bodies.js';
import { assembler, functionType, op, type ValueType } from './wasm-assembler.js';
import { name, section, uleb, vector } from './wasm-encoding.js';

/** Element type of a {@link dotKernelModule} tile function. */
type Element = 'f64' | 'f32';

/**
 * The WebAssembly module behind every similarity. Its tile functions work over a packed
 * layout in which one 16-byte vector holds one "step" of a row: two float64 dimensions (a pair)
 * or four float32 dimensions (a quad).
 *
 * - `dot2x4(a, b, steps, stepBytes, out, outStride)`: float64 dot products of two query rows with
 *   `quads` groups of four gallery rows (see below), exact to float64 summation order.
 * - `dot2x4f32(...)`: the same tile in float32 (four lanes per product, so twice the work per
 *   instruction); results are float32, used only as approximations with a known error bound.
 * - `dotRows(a, b, steps, rows, count, out)`: float64 dot products of one float64 query row
 *   (`steps` pairs at `a`) with the float32 gallery rows (row-major, 2 x `steps` values each, at
 *   `b`) whose indices are the int32 values at `rows`, eight at a time then four (`count` rounded
 *   up to a multiple of 4; more rows at once keep more memory reads in flight), each value
 *   widened to float64 (exactly) and summed in the same order as `dot2x4`, so both give
 *   bit-identical results.
 * - `packQuads(src, dst, groups, quads, rowBytes, groupBytes)`: copies the first `quads` quads of
 *   4 x `groups` row-major float32 rows (`rowBytes` apart, from `src`) into the float32 tile
 *   layout at `dst` (groups `groupBytes` apart); the caller writes any partial last quad.
 * - `scaleScores`, `prepareCells` and `countCells`: the bounded path's passes over one query
 *   (see `bounded-pass-bodies.ts`).
 * - `rankRelevant`: the rest of `rankRelevantFromBounds` for one query, with its helpers
 *   `distinct`, `sortDescending`, `siftDown`, `buildGrid` and `slotOf` (see
 *   `bounded-rank-bodies.ts`). It calls the one imported function, `env.exact(which, count)`, for
 *   exact scores; instances that never rank may pass one that throws.
 *
 * Tile layout, shared by both element types:
 * - queries at byte offset `a`: for each step p, q0's step p then q1's step p (32 bytes per step,
 *   `stepBytes` = 32 x steps);
 * - gallery at `b`: per group of four rows, for each step p, the step p of rows 0, 1, 2, 3
 *   (64 bytes per step, 2 x `stepBytes` per group);
 * - tile results: query 0 against the 4 x `quads` rows to `out`, query 1 to `out + outStride`.
 *
 * One pointer per side walks the steps, so the six loads of each step use constant offsets; each
 * float64 product sums in two lanes (even and odd dimensions) that are added at the end —
 * {@link rowNormsSquared} follows the same order so a vector's distance to itself is exactly 0.
 * Each float32 product sums in four lanes (dimension mod 4), in blocks of {@link F32_BLOCK}
 * steps added to a running total per lane, then (l0 + l1) + (l2 + l3).
 *
 * With `fused`, the float32 tile's multiply and add are one `f32x4.relaxed_madd` (relaxed SIMD,
 * {@link RELAXED_MADD}): a fused multiply-add where the CPU has one, rounding once per step,
 * else the same two roundings as without (the instruction allows either; `float32DotError`
 * covers both). The float64 functions never fuse: their results must stay bit-exact.
 * SIMD instructions need Node >= 16.4; relaxed SIMD Node >= 22, or the V8 flag of
 * `compileDotKernel`. The memory is imported (`env.memory`, shared, up to
 * 4 GiB) so that worker threads share one copy of the gallery.
 */
export function dotKernelModule(fused = false): Uint8Array {
  const sixInts = functionType(new Array<ValueType>(6).fill('i32'), []);
  // The imported `exact` is function 0; the module's own follow, in this order.
  const names = [
    'dot2x4',
    'dot2x4f32',
    'dotRows',
    'packQuads',
    'scaleScores',
    'countCells',
    'prepareCells',
    'siftDown',
    'sortDescending',
    'distinct',
    'buildGrid',
    'slotOf',
    'rankRelevant',
  ];
  const index = (fn: string) => {
    if (fn === 'exact') return 0;
    const i = names.indexOf(fn);
    if (i < 0) throw new Error(`dotKernelModule: no function ${fn}`);
    return i + 1;
  };
  const functions: [string, number[], number[]][] = [
    ['dot2x4', sixInts, tileBody('f64', false)],
    ['dot2x4f32', sixInts, tileBody('f32', fused)],
    ['dotRows', sixInts, rowsBody()],
    ['packQuads', sixInts, packBody()],
    ['scaleScores', functionType(...SCALE_SCORES_TYPE), scaleScoresBody()],
    ['countCells', functionType(...COUNT_CELLS_TYPE), countCellsBody()],
    ['prepareCells', functionType(...PREPARE_CELLS_TYPE), prepareCellsBody()],
    ['siftDown', functionType(...SIFT_DOWN_TYPE), siftDownBody()],
    ['sortDescending', functionType(...SORT_DESCENDING_TYPE), sortDescendingBody(index)],
    ['distinct', functionType(...DISTINCT_TYPE), distinctBody(index)],
    ['buildGrid', functionType(...BUILD_GRID_TYPE), buildGridBody()],
    ['slotOf', functionType(...SLOT_OF_TYPE), slotOfBody()],
    ['rankRelevant', functionType(...RANK_RELEVANT_TYPE), rankRelevantBody(index)],
  ];
  if (functions.some(([fn], i) => names[i] !== fn)) throw new Error('dotKernelModule: order');
  const exactType = functionType(['i32', 'i32'], []);
  // Type 0 is the import's; then one type entry per function (duplicates are allowed).
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([exactType, ...functions.map(([, type]) => type)])),
    // Imports: the function `env.exact` (see rankRelevantBody) and the shared memory (limits
    // flag 3, 1 to 65,536 pages).
    ...section(
      2,
      vector([
        [...name('env'), ...name('exact'), 0x00, 0],
        [...name('env'), ...name('memory'), 0x02, 0x03, 1, ...uleb(65536)],
      ]),
    ),
    ...section(3, vector(functions.map((_, i) => uleb(i + 1)))),
    ...section(7, vector(functions.map(([fn]) => [...name(fn), 0x00, ...uleb(index(fn))]))),
    ...section(10, vector(functions.map(([, , body]) => [...uleb(body.length), ...body]))),
  ]);
}

const i32 = (names: string[]) => names.map((n): [string, ValueType] => [n, 'i32']);
const v128 = (names: string[]) => names.map((n): [string, ValueType] => [n, 'v128']);

const { i32Add: ADD, i32Mul: MUL, i32GeU: GE_U, i32LtU: LT_U, select: SELECT, brIf, br } = op;
const { block: BLOCK, loop: LOOP, end: END } = op;

/** SIMD opcodes and scalar store of one element type. */
const OPS = {
  f64: { mul: 0xf2, add: 0xf0, extract: 0x21, lanes: 2, scalarAdd: 0xa0, store: 0x39, bytes: 8 },
  f32: { mul: 0xe6, add: 0xe4, extract: 0x1f, lanes: 4, scalarAdd: 0x92, store: 0x38, bytes: 4 },
} as const;

/**
 * Steps per block of the float32 tile: each lane sums `F32_BLOCK` products, then adds that to its
 * running total, which keeps the error bound at gamma_(F32_BLOCK + steps / F32_BLOCK + 3)
 * instead of gamma_(steps + 3) (see `float32DotError`).
 */
export const F32_BLOCK = 16;

/**
 * Opcode of `f32x4.relaxed_madd` after the 0xfd prefix (WebAssembly 3.0, relaxed SIMD:
 * relaxed_madd(a, b, c) = a x b + c, fused or not).
 */
export const RELAXED_MADD = 0x105;

/**
 * A minimal module using `f32x4.relaxed_madd` (one function `(v128, v128, v128) -> v128`):
 * `WebAssembly.validate` of it tells whether this runtime accepts relaxed SIMD.
 */
export function relaxedSimdProbe(): Uint8Array {
  const body = [0x00, 0x20, 0, 0x20, 1, 0x20, 2, 0xfd, ...uleb(RELAXED_MADD), 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, ...vector([[0x7b], [0x7b], [0x7b]]), ...vector([[0x7b]])]])),
    ...section(3, vector([[0x00]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}

function tileBody(element: Element, fused: boolean): number[] {
  const ops = OPS[element];
  const blocked = element === 'f32';
  const params = ['a', 'b', 'quads', 'stepBytes', 'out', 'stride'];
  const accumulators = ['s00', 's01', 's02', 's03', 's10', 's11', 's12', 's13'];
  const totals = accumulators.map((acc) => `t${acc.slice(1)}`);
  const asm = assembler(i32(params), [
    ...i32(['j', 'pa', 'pb', 'end', 'o', 'blockEnd']),
    ...v128([...accumulators, 'x0', 'x1', 'y', ...(blocked ? totals : [])]),
  ]);
  const { emit, get, set, tee, simd, const32, load, zero, lane } = asm;
  emit(const32(0), set('j'), get('b'), set('pb'));
  emit(BLOCK, LOOP);
  emit(get('j'), get('quads'), GE_U, brIf(1));
  for (const acc of accumulators) emit(zero, set(acc));
  if (blocked) for (const total of totals) emit(zero, set(total));
  emit(get('a'), tee('pa'), get('stepBytes'), ADD, set('end'));
  if (blocked) {
    // Outer loop over blocks: blockEnd = min(pa + F32_BLOCK steps, end).
    emit(LOOP);
    emit(get('pa'), const32(32 * F32_BLOCK), ADD, tee('blockEnd'), get('end'));
    emit(get('blockEnd'), get('end'), LT_U, SELECT, set('blockEnd'));
  }
  emit(LOOP);
  emit(load('pa', 0), set('x0'), load('pa', 16), set('x1'));
  for (let c = 0; c < 4; c++) {
    emit(load('pb', 16 * c), set('y'));
    for (const r of [0, 1]) {
      const s = `s${r}${c}`;
      if (fused) emit(get(`x${r}`), get('y'), get(s), simd(RELAXED_MADD), set(s));
      else emit(get(s), get(`x${r}`), get('y'), simd(ops.mul), simd(ops.add), set(s));
    }
  }
  emit(get('pb'), const32(64), ADD, set('pb'));
  emit(get('pa'), const32(32), ADD, tee('pa'), get(blocked ? 'blockEnd' : 'end'), LT_U, brIf(0));
  emit(END);
  // Result lanes: the totals (float32), else the accumulators.
  let result = accumulators;
  if (blocked) {
    for (let i = 0; i < 8; i++) {
      const acc = accumulators[i]!;
      const total = totals[i]!;
      emit(get(total), get(acc), simd(ops.add), set(total), zero, set(acc));
    }
    emit(get('pa'), get('end'), LT_U, brIf(0), END);
    result = totals;
  }
  emit(get('out'), get('j'), const32(4 * ops.bytes), MUL, ADD, set('o'));
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const s = result[r * 4 + c]!;
      emit(get('o'));
      if (r === 1) emit(get('stride'), ADD);
      if (ops.lanes === 2) {
        emit(lane(s, ops.extract, 0), lane(s, ops.extract, 1), [ops.scalarAdd]);
      } else {
        emit(lane(s, ops.extract, 0), lane(s, ops.extract, 1), [ops.scalarAdd]);
        emit(lane(s, ops.extract, 2), lane(s, ops.extract, 3), [ops.scalarAdd], [ops.scalarAdd]);
      }
      // Scalar store, natural alignment, offset c x element bytes.
      emit([ops.store, ops.bytes === 8 ? 3 : 2, ...uleb(c * ops.bytes)]);
    }
  }
  emit(get('j'), const32(1), ADD, set('j'));
  emit(br(0), END, END);
  return asm.body();
}

/** Gallery rows per pass of `dotRows` (then four at a time for the rest). */
const ROWS_PER_PASS = 8;

function rowsBody(): number[] {
  const params = ['a', 'b', 'steps', 'rows', 'count', 'out'];
  const rowPointers = Array.from({ length: ROWS_PER_PASS }, (_, r) => `p${r}`);
  const sums = Array.from({ length: ROWS_PER_PASS }, (_, r) => `s${r}`);
  const asm = assembler(i32(params), [
    ...i32(['i', 'pa', 'end', 'count4', ...rowPointers]),
    ...v128([...sums, 'x']),
  ]);
  const { emit, get, set, tee, simd, const32, load, zero, lane } = asm;
  const f64 = OPS.f64;
  /** Dot products of rows i .. i + width - 1 (independent sums, so their loads overlap). */
  const pass = (width: number) => {
    // Row rows[i + r] starts at b + rows[i + r] x steps x 8 (float32, `steps` pairs a row).
    for (let r = 0; r < width; r++) {
      emit(get('b'), get('rows'), get('i'), const32(4), MUL, ADD, [0x28, 2, ...uleb(4 * r)]);
      emit(get('steps'), const32(8), MUL, MUL, ADD, set(rowPointers[r]!));
      emit(zero, set(sums[r]!));
    }
    emit(get('a'), tee('pa'), get('steps'), const32(16), MUL, ADD, set('end'));
    emit(LOOP);
    emit(load('pa', 0), set('x'));
    for (let r = 0; r < width; r++) {
      const p = rowPointers[r]!;
      // v128.load64_zero (two float32), f64x2.promote_low_f32x4: exact float64 copies.
      emit(get(sums[r]!), get('x'), get(p), simd(0x5d), [3, 0], simd(0x5f), simd(f64.mul));
      emit(simd(f64.add), set(sums[r]!));
      emit(get(p), const32(8), ADD, set(p));
    }
    emit(get('pa'), const32(16), ADD, tee('pa'), get('end'), LT_U, brIf(0), END);
    for (let r = 0; r < width; r++) {
      const sum = sums[r]!;
      emit(get('out'), get('i'), const32(8), MUL, ADD);
      emit(lane(sum, f64.extract, 0), lane(sum, f64.extract, 1), [f64.scalarAdd]);
      emit([f64.store, 3, ...uleb(8 * r)]);
    }
    emit(get('i'), const32(width), ADD, set('i'));
  };
  // count4 = count rounded up to a multiple of 4; ROWS_PER_PASS rows a pass, then 4 at a time.
  emit(get('count'), const32(3), ADD, const32(-4), op.i32And, set('count4'), const32(0), set('i'));
  emit(BLOCK, LOOP);
  emit(get('i'), const32(ROWS_PER_PASS), ADD, get('count4'), op.i32GtS, brIf(1));
  pass(ROWS_PER_PASS);
  emit(br(0), END, END);
  emit(BLOCK, LOOP);
  emit(get('i'), get('count4'), GE_U, brIf(1));
  pass(4);
  emit(br(0), END, END);
  return asm.body();
}

function packBody(): number[] {
  const params = ['src', 'dst', 'groups', 'quads', 'rowBytes', 'groupBytes'];
  const asm = assembler(i32(params), i32(['g', 'p', 's', 'row', 'd']));
  const { emit, get, set, simd, const32 } = asm;
  emit(const32(0), set('g'), get('src'), set('row'));
  emit(BLOCK, LOOP);
  emit(get('g'), get('groups'), GE_U, brIf(1));
  emit(const32(0), set('p'), get('row'), set('s'));
  emit(get('dst'), get('g'), get('groupBytes'), MUL, ADD, set('d'));
  emit(BLOCK, LOOP);
  emit(get('p'), get('quads'), GE_U, brIf(1));
  for (let c = 0; c < 4; c++) {
    // v128.store at dst + 16c (aligned) of v128.load (alignment 1: rows may be 8-byte aligned) at
    // s + c x rowBytes.
    emit(get('d'), get('s'));
    for (let i = 0; i < c; i++) emit(get('rowBytes'), ADD);
    emit(simd(0x00), [0, 0], simd(0x0b), [4, ...uleb(16 * c)]);
  }
  emit(get('s'), const32(16), ADD, set('s'));
  emit(get('d'), const32(64), ADD, set('d'));
  emit(get('p'), const32(1), ADD, set('p'));
  emit(br(0), END, END);
  emit(get('row'), get('rowBytes'), const32(4), MUL, ADD, set('row'));
  emit(get('g'), const32(1), ADD, set('g'));
  emit(br(0), END, END);
  return asm.body();
}
