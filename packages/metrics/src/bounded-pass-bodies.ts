import { assembler, op, type ValueType } from './wasm-assembler.js';

const { i32Add: ADD, i32Mul: MUL, i32And: AND, i32Shl: SHL, select: SELECT } = op;
const { i32LtS: LT_S, i32GtS: GT_S, i32GeS: GE_S, block, loop, end, brIf, br } = op;

/**
 * WebAssembly bodies of the two streaming loops of the bounded path (see `bounded-ranks.ts`),
 * exported by {@link dotKernelModule}. Each computes, value for value, what the JavaScript loop
 * it replaces computes: the same IEEE float64 operations in the same order (WebAssembly never
 * fuses or reorders scalar float64 arithmetic), so results are bit-identical.
 */

/** `scaleScores(dots, inverseNorms, inverse, count, out)`: parameter types. */
export const SCALE_SCORES_TYPE: [ValueType[], ValueType[]] = [
  ['i32', 'i32', 'f64', 'i32', 'i32'],
  [],
];

/**
 * `scaleScores(dots, inverseNorms, inverse, count, out)`: out[j] = (float64(dots[j]) x inverse)
 * x inverseNorms[j] for j < count rounded up to even (float32 `dots`, float64 `inverseNorms` and
 * `out`, byte offsets, `out` and `inverseNorms` 16-byte aligned): cosine scores from float32 dot
 * products, as `approximate[j] = dots[j] * inverse * inverseNorms[j]` in JavaScript.
 */
export function scaleScoresBody(): number[] {
  const asm = assembler(
    [
      ['dots', 'i32'],
      ['norms', 'i32'],
      ['inverse', 'f64'],
      ['count', 'i32'],
      ['out', 'i32'],
    ],
    [
      ['j', 'i32'],
      ['factor', 'v128'],
    ],
  );
  const { emit, get, set, simd, const32 } = asm;
  // factor = f64x2.splat(inverse)
  emit(get('inverse'), simd(0x14), set('factor'), const32(0), set('j'));
  emit(block, loop);
  emit(get('j'), get('count'), GE_S, brIf(1));
  // out + 8j  <-  promote(load64_zero(dots + 4j)) * factor * load(norms + 8j)
  emit(get('out'), get('j'), const32(3), SHL, ADD);
  emit(get('dots'), get('j'), const32(2), SHL, ADD, simd(0x5d), [3, 0], simd(0x5f));
  emit(get('factor'), simd(0xf2));
  emit(get('norms'), get('j'), const32(3), SHL, ADD, simd(0x00), [4, 0], simd(0xf2));
  emit(simd(0x0b), [4, 0]);
  emit(get('j'), const32(2), ADD, set('j'), br(0), end, end);
  return asm.body();
}

/** `countCells(...) -> candidates`: parameter and result types. */
export const COUNT_CELLS_TYPE: [ValueType[], ValueType[]] = [
  ['i32', 'i32', 'f64', 'f64', 'i32', 'i32', 'i32', 'i32', 'i32'],
  ['i32'],
];

/**
 * `countCells(scores, n, top, scale, last, cellSlot, trash, lanes, candidates)`: the item loop of
 * `countByCells`. For each j < n, with v the float64 `scores[j]`, its cell is
 * c = trunc(min(last, max(0, (top - v) x scale + 1))) (0 for NaN), as `cellOf` computes it;
 * `lanes[cellSlot[c] + j % 4]` (int32) is incremented, and j is appended to the int32
 * `candidates` when `cellSlot[c]` is `trash` (a dirty cell). Returns the number of candidates.
 * Four items per pass, their cells computed two at a time in SIMD (`scores` 8-byte aligned).
 */
export function countCellsBody(): number[] {
  const asm = assembler(
    [
      ['scores', 'i32'],
      ['n', 'i32'],
      ['top', 'f64'],
      ['scale', 'f64'],
      ['last', 'i32'],
      ['cellSlot', 'i32'],
      ['trash', 'i32'],
      ['lanes', 'i32'],
      ['candidates', 'i32'],
    ],
    [
      ['j', 'i32'],
      ['k', 'i32'],
      ['c', 'i32'],
      ['at', 'i32'],
      ['slot', 'i32'],
      ['tops', 'v128'],
      ['scales', 'v128'],
      ['ones', 'v128'],
      ['lasts', 'v128'],
      ['cells', 'v128'],
    ],
  );
  const { emit, get, set, tee, simd, const32, constF64, zero } = asm;
  /** Item j + `lane` in cell `c`: its lane count, and the candidates if the cell is dirty. */
  const countItem = (lane: number) => {
    // slot = cellSlot[c]; lanes[slot + (j & 3)]++ (with j a multiple of 4 here, j & 3 = lane)
    emit(get('cellSlot'), get('c'), const32(2), SHL, ADD, op.i32Load, tee('slot'));
    emit(const32(2), SHL, get('lanes'), ADD, tee('at'));
    emit(get('at'), [0x28, 2, lane * 4], const32(1), ADD, [0x36, 2, lane * 4]);
    // candidates[k] = j + lane; k += slot === trash
    emit(get('candidates'), get('k'), const32(2), SHL, ADD, get('j'));
    if (lane > 0) emit(const32(lane), ADD);
    emit(op.i32Store, get('k'), get('slot'), get('trash'), op.i32Eq, ADD, set('k'));
  };
  // c = clamp(i32.trunc_sat_f64_s((top - v) * scale + 1), 0, last): the same integer as
  // trunc(min(last, max(0, x))) for every x (NaN and x < 1 give 0, x >= last gives last).
  /** Cells of two items (float64 pair at byte offset `offset` from scores + 8j), in `cells`. */
  const twoCells = (offset: number) => {
    emit(get('tops'), get('scores'), get('j'), const32(3), SHL, ADD, simd(0x00), [3, offset]);
    emit(simd(0xf1), get('scales'), simd(0xf2), get('ones'), simd(0xf0), simd(0xfc));
    // i32x4.max_s with 0, i32x4.min_s with last
    emit(zero, simd(0xb8), get('lasts'), simd(0xb6), set('cells'));
  };
  const cellLane = (i: number) => emit(get('cells'), simd(0x1b), [i], set('c'));
  emit(get('top'), simd(0x14), set('tops'), get('scale'), simd(0x14), set('scales'));
  emit(constF64(1), simd(0x14), set('ones'), get('last'), simd(0x11), set('lasts'));
  emit(const32(0), set('j'), const32(0), set('k'));
  emit(op.block, op.loop);
  emit(get('j'), const32(3), ADD, get('n'), GE_S, op.brIf(1));
  twoCells(0);
  cellLane(0);
  countItem(0);
  cellLane(1);
  countItem(1);
  twoCells(16);
  cellLane(0);
  countItem(2);
  cellLane(1);
  countItem(3);
  emit(get('j'), const32(4), ADD, set('j'), op.br(0), op.end, op.end);
  // The last n mod 4 items, one at a time.
  emit(op.block, op.loop);
  emit(get('j'), get('n'), GE_S, op.brIf(1));
  emit(get('top'), get('scores'), get('j'), const32(3), SHL, ADD, op.f64Load);
  emit(op.f64Sub, get('scale'), op.f64Mul, constF64(1), op.f64Add, op.i32TruncSatF64S, set('c'));
  emit(const32(0), get('c'), get('c'), const32(0), LT_S, SELECT, set('c')); // c < 0 ? 0 : c
  emit(get('last'), get('c'), get('c'), get('last'), GT_S, SELECT, set('c')); // c > last ? last : c
  emit(get('cellSlot'), get('c'), const32(2), SHL, ADD, op.i32Load, tee('slot'));
  emit(get('j'), const32(3), AND, ADD, const32(2), SHL, get('lanes'), ADD, tee('at'));
  emit(get('at'), op.i32Load, const32(1), ADD, op.i32Store);
  emit(get('candidates'), get('k'), const32(2), SHL, ADD, get('j'), op.i32Store);
  emit(get('k'), get('slot'), get('trash'), op.i32Eq, ADD, set('k'));
  emit(get('j'), const32(1), ADD, set('j'), op.br(0), op.end, op.end);
  emit(get('k'));
  return asm.body();
}

/** `prepareCells(...)`: parameter types. */
export const PREPARE_CELLS_TYPE: [ValueType[], ValueType[]] = [
  ['i32', 'i32', 'f64', 'f64', 'f64', 'i32', 'i32'],
  [],
];

/**
 * `prepareCells(t, m, top, scale, margin, cells, cellSlot)`: the grid set-up of
 * `countByCells` for the `m` descending float64 thresholds at `t`, with `last` = cells + 1 and
 * `trash` = m + 1:
 * - `cellSlot[0]` = 0, `cellSlot[last]` = 4m, and for i < m the cells from the end of the previous
 *   run up to end_i = min(cells, floor((top - t[i]) x scale + 0.5)) get 4i; the rest up to `cells`
 *   get 4m;
 * - then for each i the cells from max(1, floor((top - t[i] - margin) x scale - allowance) + 1)
 *   to min(cells, floor((top - t[i] + margin) x scale + allowance) + 1) get 4 x trash: they are
 *   dirty. The allowance, 2^-40 x (cells + 2), covers the rounding of these cell positions and
 *   of each item's (see `countByCells`).
 * Floors and ceilings are clamped to +-2^30 before they become integers, which changes no result
 * (every index is then clamped to [1, cells], and cells < 2^30).
 */
export function prepareCellsBody(): number[] {
  const asm = assembler(
    [
      ['t', 'i32'],
      ['m', 'i32'],
      ['top', 'f64'],
      ['scale', 'f64'],
      ['margin', 'f64'],
      ['cells', 'i32'],
      ['cellSlot', 'i32'],
    ],
    [
      ['i', 'i32'],
      ['c', 'i32'],
      ['d', 'i32'],
      ['end', 'i32'],
      ['value', 'i32'],
      ['from', 'i32'],
      ['gap', 'f64'],
      ['allowance', 'f64'],
      ['values', 'v128'],
    ],
  );
  const { emit, get, set, tee, simd, const32, constF64 } = asm;
  const { i32Store: storeI32, f64Sub, f64Mul, f64Add } = op;
  // An integral float64 (a floor or ceiling) as an i32, clamped to +-2^30 first.
  const toInt = [
    ...constF64(2 ** 30),
    ...op.f64Min,
    ...constF64(-(2 ** 30)),
    ...op.f64Max,
    ...op.i32TruncSatF64S,
  ];
  const cellAddress = (index: string) => [
    ...get('cellSlot'),
    ...get(index),
    ...const32(2),
    ...SHL,
    ...ADD,
  ];
  /**
   * for (d = from; d <= to; d++) cellSlot[d] = value; with `wide`, four cells per v128.store
   * first (runs of the thresholds are long, dirty runs a few cells).
   */
  const fillRun = (to: number[], wide: boolean) => {
    if (wide) {
      emit(get('value'), simd(0x11), set('values'), block, loop);
      emit(get('d'), const32(3), ADD, to, GT_S, brIf(1));
      emit(cellAddress('d'), get('values'), simd(0x0b), [2, 0]);
      emit(get('d'), const32(4), ADD, set('d'), br(0), end, end);
    }
    emit(block, loop);
    emit(get('d'), to, GT_S, brIf(1));
    emit(cellAddress('d'), get('value'), storeI32);
    emit(get('d'), const32(1), ADD, set('d'), br(0), end, end);
  };
  // gap = top - t[i]
  const gapOf = () =>
    emit(get('top'), get('t'), get('i'), const32(3), SHL, ADD, op.f64Load, f64Sub, set('gap'));

  // cellSlot[0] = 0; cellSlot[cells + 1] = 4m
  emit(get('cellSlot'), const32(0), storeI32);
  emit(get('cellSlot'), get('cells'), const32(1), ADD, const32(2), SHL, ADD);
  emit(get('m'), const32(4), MUL, storeI32);
  // Runs of the thresholds.
  emit(const32(1), set('c'), const32(0), set('i'));
  emit(block, loop);
  emit(get('i'), get('m'), GE_S, brIf(1));
  gapOf();
  // end = min(cells, floor(gap * scale + 0.5))
  emit(get('gap'), get('scale'), f64Mul, constF64(0.5), f64Add, op.f64Floor, toInt, set('end'));
  emit(get('cells'), get('end'), get('end'), get('cells'), GT_S, SELECT, set('end'));
  emit(get('i'), const32(4), MUL, set('value'), get('c'), set('d'));
  fillRun(get('end'), true);
  // c = max(c, end + 1)
  emit(get('end'), const32(1), ADD, tee('d'), get('c'), get('d'), get('c'), GT_S, SELECT, set('c'));
  emit(get('i'), const32(1), ADD, set('i'), br(0), end, end);
  emit(get('m'), const32(4), MUL, set('value'), get('c'), set('d'));
  fillRun(get('cells'), true);
  // Dirty runs: slot 4 x (m + 1); allowance = 2^-40 x (cells + 2).
  emit(get('cells'), const32(2), ADD, op.f64ConvertI32S, constF64(2 ** -40), f64Mul);
  emit(set('allowance'));
  emit(get('m'), const32(1), ADD, const32(4), MUL, set('value'), const32(0), set('i'));
  emit(block, loop);
  emit(get('i'), get('m'), GE_S, brIf(1));
  gapOf();
  // from = max(1, floor((gap - margin) * scale - allowance) + 1)
  emit(get('gap'), get('margin'), f64Sub, get('scale'), f64Mul, get('allowance'), f64Sub);
  emit(op.f64Floor, toInt, const32(1), ADD);
  emit(set('from'), const32(1), get('from'), get('from'), const32(1), LT_S, SELECT, set('d'));
  // end = min(cells, floor((gap + margin) * scale + allowance) + 1)
  emit(get('gap'), get('margin'), f64Add, get('scale'), f64Mul, get('allowance'), f64Add);
  emit(op.f64Floor, toInt, const32(1), ADD);
  emit(set('end'), get('cells'), get('end'), get('end'), get('cells'), GT_S, SELECT, set('end'));
  fillRun(get('end'), false);
  emit(get('i'), const32(1), ADD, set('i'), br(0), end, end);
  return asm.body();
}
