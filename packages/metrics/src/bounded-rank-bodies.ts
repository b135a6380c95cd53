import { CELLS_PER_ITEM, RANK_SCRATCH_ARRAYS } from './bounded-ranks.js';
import { op, type ValueType } from './wasm-assembler.js';
import { uleb } from './wasm-encoding.js';
import { structured } from './wasm-structured.js';

/**
 * WebAssembly bodies of `rankRelevantFromBounds` (`bounded-ranks.ts`) after its relevant items
 * are listed: the same steps, in the same order, with the same IEEE float64 operations
 * (WebAssembly never fuses or reorders them), so every rank and tie end is the one the
 * JavaScript gives. The JavaScript stays the readable reference; each step below names the
 * JavaScript it follows. Exported by `dotKernelModule`, which resolves the internal calls by name.
 *
 * Where the two may differ, without changing a result: when the bucket pass of
 * `distinctDescending` gives up on clustered values, a heap sort replaces the JavaScript's
 * `Array.prototype.sort` (equal values may come out in another order, but only the distinct
 * values and each value's index are used); tied items are kept as int32 rather than in a float64
 * array.
 */

/** Resolves a function of the module to its index. */
export type FunctionIndex = (name: string) => number;

const i32 = (names: string[]) => names.map((n): [string, ValueType] => [n, 'i32']);
const f64 = (names: string[]) => names.map((n): [string, ValueType] => [n, 'f64']);

const { i32Add: ADD, i32Sub: SUB, i32Mul: MUL, i32And: AND, i32Or: OR } = op;
const { i32LtS: LT, i32GtS: GT, i32GeS: GE, i32ShrU: SHR_U } = op;
const { f64Lt: FLT, f64Gt: FGT, f64Le: FLE, f64Sub: FSUB, f64Mul: FMUL, f64Add: FADD } = op;

/** `siftDown(order, values, root, end)`: params. */
export const SIFT_DOWN_TYPE: [ValueType[], ValueType[]] = [['i32', 'i32', 'i32', 'i32'], []];

/**
 * `siftDown(order, values, root, end)`: restores the heap of int32 indices `order[root..end)`
 * in which a parent's float64 value (`values[order[i]]`) is at most its children's.
 */
export function siftDownBody(): number[] {
  const a = structured(i32(['order', 'values', 'root', 'end']), i32(['child', 'swap', '$a']));
  const { emit, get, set, const32, when } = a;
  const value = (at: number[]) => a.f64('values', a.i32('order', at));
  emit(op.block, op.loop);
  // child = 2 root + 1; stop at the end of the heap.
  emit(get('root'), const32(1), op.i32Shl, const32(1), ADD, set('child'));
  emit(get('child'), get('end'), GE, op.brIf(1));
  // The child with the smaller value.
  when([...get('child'), ...const32(1), ...ADD, ...get('end'), ...LT], () =>
    when([...value([...get('child'), ...const32(1), ...ADD]), ...value(get('child')), ...FLT], () =>
      a.step('child'),
    ),
  );
  // Stop when the parent is not above it.
  emit(value(get('child')), value(get('root')), FLT, op.i32Eqz, op.brIf(1));
  emit(a.i32('order', get('root')), set('swap'));
  a.setI32('order', get('root'), a.i32('order', get('child')));
  a.setI32('order', get('child'), get('swap'));
  emit(get('child'), set('root'), op.br(0), op.end, op.end);
  return a.body();
}

/** `sortDescending(order, values, count)`: params. */
export const SORT_DESCENDING_TYPE: [ValueType[], ValueType[]] = [['i32', 'i32', 'i32'], []];

/**
 * `sortDescending(order, values, count)`: `order[i] = i` for i < count, then a heap sort of
 * those indices by float64 `values[i]`, descending.
 */
export function sortDescendingBody(index: FunctionIndex): number[] {
  const a = structured(i32(['order', 'values', 'count']), i32(['i', 'swap', '$a']));
  const { emit, get, set, const32 } = a;
  a.forRange('i', const32(0), get('count'), () => a.setI32('order', get('i'), get('i')));
  // Heapify from the last parent down, then move the smallest to the end, one by one.
  emit(get('count'), const32(1), SHR_U, const32(1), SUB, set('i'));
  a.whileAll([[...get('i'), ...const32(0), ...GE]], () => {
    emit(get('order'), get('values'), get('i'), get('count'), op.call(index('siftDown')));
    emit(get('i'), const32(1), SUB, set('i'));
  });
  emit(get('count'), const32(1), SUB, set('i'));
  a.whileAll([[...get('i'), ...const32(0), ...GT]], () => {
    emit(a.i32('order', const32(0)), set('swap'));
    a.setI32('order', const32(0), a.i32('order', get('i')));
    a.setI32('order', get('i'), get('swap'));
    emit(get('order'), get('values'), const32(0), get('i'), op.call(index('siftDown')));
    emit(get('i'), const32(1), SUB, set('i'));
  });
  return a.body();
}

/** `distinct(values, count, order, buckets, out, indexOf) -> m`: params and result. */
export const DISTINCT_TYPE: [ValueType[], ValueType[]] = [new Array(6).fill('i32'), ['i32']];

/**
 * `distinct(values, count, order, buckets, out, indexOf) -> m`: `distinctDescending` of
 * `bounded-ranks.ts` — the distinct float64 values of `values[0..count)`, descending, into `out`,
 * and each value's index there into `indexOf`; returns how many.
 */
export function distinctBody(index: FunctionIndex): number[] {
  const a = structured(i32(['values', 'count', 'order', 'buckets', 'out', 'indexOf']), [
    ...i32(['i', 'j', 'o', 'm', 'sorted', 'budget', '$a']),
    ...f64(['lo', 'hi', 'scale', 'v']),
  ]);
  const { emit, get, set, tee, const32, constF64 } = a;
  emit(get('count'), op.i32Eqz, op.if, const32(0), op.return, op.end);
  emit(
    constF64(Number.POSITIVE_INFINITY),
    set('lo'),
    constF64(Number.NEGATIVE_INFINITY),
    set('hi'),
  );
  a.forRange('i', const32(0), get('count'), () => {
    emit(a.f64('values', get('i')), set('v'));
    a.when([...get('v'), ...get('lo'), ...FLT], () => emit(get('v'), set('lo')));
    a.when([...get('v'), ...get('hi'), ...FGT], () => emit(get('v'), set('hi')));
  });
  // scale = count / (hi - lo); sorted = 0 < scale < infinity
  emit(get('count'), op.f64ConvertI32S, get('hi'), get('lo'), FSUB, op.f64Div, tee('scale'));
  emit(constF64(0), FGT, get('scale'), constF64(Number.POSITIVE_INFINITY), FLT, AND, set('sorted'));
  // Bucket of value v: min(count - 1, trunc((hi - v) x scale)).
  const bucket = (value: number[]) => [
    ...get('count'),
    ...const32(1),
    ...SUB,
    ...get('hi'),
    ...value,
    ...FSUB,
    ...get('scale'),
    ...FMUL,
    ...op.i32TruncSatF64S,
    ...tee('j'),
    ...get('j'),
    ...get('count'),
    ...const32(1),
    ...SUB,
    ...GT,
    ...op.select,
  ];
  a.when(get('sorted'), () => {
    a.zero('buckets', [...get('count'), ...const32(1), ...ADD]);
    a.forRange('i', const32(0), get('count'), () =>
      a.add('buckets', [...bucket(a.f64('values', get('i'))), ...const32(1), ...ADD], const32(1)),
    );
    a.forRange('i', const32(0), get('count'), () =>
      a.add('buckets', [...get('i'), ...const32(1), ...ADD], a.i32('buckets', get('i'))),
    );
    a.forRange('i', const32(0), get('count'), () => {
      emit(bucket(a.f64('values', get('i'))), set('o'));
      a.setI32('order', a.i32('buckets', get('o')), get('i'));
      a.add('buckets', get('o'), const32(1));
    });
    // Insertion sort within the buckets, given up (sorted = 0) past 8 x count moves.
    emit(get('count'), const32(8), MUL, set('budget'), const32(1), set('i'));
    a.whileAll([[...get('i'), ...get('count'), ...LT], get('sorted')], () => {
      emit(a.i32('order', get('i')), set('o'), a.f64('values', get('o')), set('v'));
      emit(get('i'), const32(1), SUB, set('j'));
      a.whileAll(
        [
          [...get('j'), ...const32(0), ...GE],
          [...a.f64('values', a.i32('order', get('j'))), ...get('v'), ...FLT],
        ],
        () => {
          a.setI32('order', [...get('j'), ...const32(1), ...ADD], a.i32('order', get('j')));
          emit(get('j'), const32(1), SUB, set('j'));
        },
      );
      a.setI32('order', [...get('j'), ...const32(1), ...ADD], get('o'));
      // budget -= i - 1 - j
      emit(get('budget'), get('i'), const32(1), SUB, get('j'), SUB, SUB, set('budget'));
      a.when([...get('budget'), ...const32(0), ...LT], () => emit(const32(0), set('sorted')));
      a.step('i');
    });
  });
  a.when([...get('sorted'), ...op.i32Eqz], () =>
    emit(get('order'), get('values'), get('count'), op.call(index('sortDescending'))),
  );
  emit(const32(0), set('m'));
  a.forRange('i', const32(0), get('count'), () => {
    emit(a.i32('order', get('i')), set('o'), a.f64('values', get('o')), set('v'));
    // m === 0 || v !== out[m - 1]
    emit(get('m'), op.i32Eqz);
    emit(get('v'), a.f64('out', [...get('m'), ...const32(1), ...SUB]), op.f64Ne, OR);
    a.when([], () => {
      a.setF64('out', get('m'), get('v'));
      a.step('m');
    });
    a.setI32('indexOf', get('o'), [...get('m'), ...const32(1), ...SUB]);
  });
  emit(get('m'));
  return a.body();
}

/** `buildGrid(t, m, cellStart) -> scale`: params and result. */
export const BUILD_GRID_TYPE: [ValueType[], ValueType[]] = [['i32', 'i32', 'i32'], ['f64']];

/**
 * `buildGrid(t, m, cellStart) -> scale`: `buildGrid` of `bounded-ranks.ts` — 2m cells over the
 * `m` descending float64 thresholds `t`, `cellStart[c]` = thresholds above the top of cell c;
 * returns 1 / cell width (0 when the thresholds are all equal).
 */
export function buildGridBody(): number[] {
  const a = structured(i32(['t', 'm', 'cellStart']), [
    ...i32(['c', 'p', 'cells', '$a']),
    ...f64(['hi', 'width', 'top']),
  ]);
  const { emit, get, set, const32, constF64 } = a;
  emit(a.f64('t', const32(0)), set('hi'));
  emit(get('m'), const32(1), op.i32Shl, set('cells'));
  // width = (hi - lo) / cells
  emit(get('hi'), a.f64('t', [...get('m'), ...const32(1), ...SUB]), FSUB);
  emit(get('cells'), op.f64ConvertI32S, op.f64Div, set('width'), const32(0), set('p'));
  a.forRange('c', const32(0), [...get('cells'), ...const32(1), ...ADD], () => {
    emit(get('hi'), get('c'), op.f64ConvertI32S, get('width'), FMUL, FSUB, set('top'));
    a.whileAll(
      [
        [...get('p'), ...get('m'), ...LT],
        [...a.f64('t', get('p')), ...get('top'), ...FGT],
      ],
      () => a.step('p'),
    );
    a.setI32('cellStart', get('c'), get('p'));
  });
  // width > 0 ? 1 / width : 0
  emit(constF64(1), get('width'), op.f64Div, constF64(0), get('width'), constF64(0), FGT);
  emit(op.select);
  return a.body();
}

/** `slotOf(t, cellStart, m, scale, v) -> p`: params and result. */
export const SLOT_OF_TYPE: [ValueType[], ValueType[]] = [
  ['i32', 'i32', 'i32', 'f64', 'f64'],
  ['i32'],
];

/**
 * `slotOf(t, cellStart, m, scale, v) -> p`: `slotOf` of `bounded-ranks.ts` on the grid of
 * {@link buildGridBody} — the number of the `m` descending thresholds `t` strictly above `v`.
 */
export function slotOfBody(): number[] {
  const a = structured(
    [...i32(['t', 'cellStart', 'm']), ...f64(['scale', 'v'])],
    [...i32(['p', 'c', 'cells', '$a']), ...f64(['hi'])],
  );
  const { emit, get, set, tee, const32 } = a;
  emit(a.f64('t', const32(0)), tee('hi'), get('v'), FLT, op.if, const32(0), op.return, op.end);
  emit(get('v'), a.f64('t', [...get('m'), ...const32(1), ...SUB]), FLT);
  emit(op.if, get('m'), op.return, op.end);
  // c = min(cells - 1, floor((hi - v) x scale)); the value is in [0, cells].
  emit(get('m'), const32(1), op.i32Shl, const32(1), SUB, set('cells'));
  emit(get('hi'), get('v'), FSUB, get('scale'), FMUL, op.f64Floor, op.i32TruncSatF64S, set('c'));
  emit(get('cells'), get('c'), get('c'), get('cells'), GT, op.select, set('c'));
  emit(a.i32('cellStart', get('c')), set('p'));
  a.whileAll(
    [
      [...get('p'), ...const32(0), ...GT],
      [...a.f64('t', [...get('p'), ...const32(1), ...SUB]), ...get('v'), ...FLE],
    ],
    () => emit(get('p'), const32(1), SUB, set('p')),
  );
  a.whileAll(
    [
      [...get('p'), ...get('m'), ...LT],
      [...a.f64('t', get('p')), ...get('v'), ...FGT],
    ],
    () => a.step('p'),
  );
  emit(get('p'));
  return a.body();
}

/** `rankRelevant(pointers, scores, n, label, positives, margin)`: params. */
export const RANK_RELEVANT_TYPE: [ValueType[], ValueType[]] = [
  ['i32', 'i32', 'i32', 'i32', 'i32', 'f64'],
  [],
];

/** The arrays of `RANK_SCRATCH_ARRAYS`, as locals loaded from the pointer table. */
const ARRAYS = RANK_SCRATCH_ARRAYS.map(([name]) => name as string);

/**
 * `rankRelevant(pointers, scores, n, label, positives, margin)`: `rankRelevantFromBounds` from
 * its first pass on, over the scratch arrays whose byte offsets are the int32s at `pointers` (in
 * the order of `RANK_SCRATCH_ARRAYS`), the `n` float64 approximate scores at `scores`, the
 * `positives` relevant items in `relevant` and the gallery labels in `labels`. It calls the
 * imported `exact(which, count)` for the exact scores of `neededItems[0..count)` into
 * `neededScores` (which = 0) and of `ambiguous[0..count)` into `ambiguousScores` (which = 1), and
 * leaves the relevant ranks and tie ends in `ranks` and `tieEnds`. `margin` must be finite.
 */
export function rankRelevantBody(index: FunctionIndex): number[] {
  const a = structured(
    [...i32(['pointers', 'scores', 'n', 'label', 'positives']), ...f64(['margin'])],
    [
      ...i32(ARRAYS),
      ...i32(['mA', 'm', 'mE', 'i', 'j', 'r', 'e', 'k', 'p', 'c', 'candidateCount', 'pending']),
      ...i32(['needed', 'ambiguousCount', 'tied', 'lo', 'hi', 'mid', 'from', 'i0', 'higher']),
      ...i32(['item', 'seenCount', 'endRank', 'cells', 'last', 'trash', '$a']),
      ...f64(['apart', 'gridScale', 'top', 'scale', 'v', 'pad', 'span', 'hiF', 'loF']),
    ],
  );
  const { emit, get, set, const32, constF64, when, forRange, whileAll } = a;
  const c32 = const32;
  const plus = (x: number[], y: number[]) => [...x, ...y, ...ADD];
  const minus = (x: number[], y: number[]) => [...x, ...y, ...SUB];
  const one = c32(1);
  const call = (name: string) => op.call(index(name));
  // Each array's offset: i32.load at pointers + 4i.
  for (const [i, name] of ARRAYS.entries())
    emit(get('pointers'), [0x28, 2, ...uleb(i * 4)], set(name));
  const tA = 'approximateThresholds';
  const keys = 'relevantScores';
  const approximate = (item: number[]) => [
    ...get('scores'),
    ...item,
    ...c32(3),
    ...op.i32Shl,
    ...ADD,
    ...op.f64Load,
  ];
  /** p > 0 && t[p - 1] - v <= d || p < m && v - t[p] <= d (reads past either end are masked). */
  const nearKey = (t: string, m: string, d: string) => [
    ...get('p'),
    ...c32(0),
    ...GT,
    ...a.f64(t, minus(get('p'), one)),
    ...get('v'),
    ...FSUB,
    ...get(d),
    ...FLE,
    ...AND,
    ...get('p'),
    ...get(m),
    ...LT,
    ...get('v'),
    ...a.f64(t, get('p')),
    ...FSUB,
    ...get(d),
    ...FLE,
    ...AND,
    ...OR,
  ];
  const slotOf = (t: string, m: string) => [
    ...get(t),
    ...get('cellStart'),
    ...get(m),
    ...get('gridScale'),
    ...get('v'),
    ...call('slotOf'),
  ];

  emit(get('margin'), constF64(2), FMUL, set('apart'));
  forRange('r', c32(0), get('positives'), () =>
    a.setF64(keys, get('r'), approximate(a.i32('relevant', get('r')))),
  );
  // Pass 1 (see rankRelevantFromBounds): distinct approximate thresholds, their grid, counting.
  emit(get(keys), get('positives'), get('order'), get('buckets'), get(tA), get('approximateSlot'));
  emit(call('distinct'), set('mA'));
  emit(get(tA), get('mA'), get('cellStart'), call('buildGrid'), set('gridScale'));
  a.zero('slotCounts', plus(get('mA'), c32(2)));
  // countByCells(approximate, tA, mA, apart): the grid over the thresholds' range.
  emit(a.f64(tA, c32(0)), set('hiF'), a.f64(tA, minus(get('mA'), one)), set('loF'));
  // pad = 2 apart + 2^-40 (|hi| + |lo|) + MIN_VALUE; top = hi + pad; span = hi - lo + 2 pad
  emit(constF64(2), get('apart'), FMUL, constF64(2 ** -40), get('hiF'), op.f64Abs, get('loF'));
  emit(op.f64Abs, FADD, FMUL, FADD, constF64(Number.MIN_VALUE), FADD, set('pad'));
  emit(get('hiF'), get('pad'), FADD, set('top'));
  emit(get('hiF'), get('loF'), FSUB, constF64(2), get('pad'), FMUL, FADD, set('span'));
  // cells = max(1, min(CELLS_PER_ITEM n, ceil(span / apart))), in float64 as Math.min / max.
  emit(get('n'), c32(CELLS_PER_ITEM), MUL, op.f64ConvertI32S, get('span'), get('apart'));
  emit(op.f64Div, op.f64Ceil, op.f64Min, constF64(1), op.f64Max, op.i32TruncSatF64S, set('cells'));
  emit(get('cells'), op.f64ConvertI32S, get('span'), op.f64Div, set('scale'));
  // Unless top is finite and 0 < scale < infinity: top = scale = 0.
  emit(get('top'), get('top'), FSUB, constF64(0), op.f64Eq);
  emit(get('scale'), constF64(0), FGT, AND, get('scale'), constF64(Number.POSITIVE_INFINITY));
  emit(FLT, AND, op.i32Eqz);
  when([], () => emit(constF64(0), set('top'), constF64(0), set('scale')));
  emit(get('cells'), one, ADD, set('last'));
  emit(get(tA), get('mA'), get('top'), get('scale'), get('apart'), get('cells'));
  emit(get('cellSlot'), call('prepareCells'));
  // The trash slot's cell value, 4 (m + 1), marks dirty cells.
  emit(get('mA'), one, ADD, c32(4), MUL, set('trash'));
  when([...get('scale'), ...constF64(0), ...op.f64Eq], () =>
    a.setI32('cellSlot', one, get('trash')),
  );
  a.zero('laneCounts', [...get('mA'), ...c32(2), ...ADD, ...c32(4), ...MUL]);
  emit(get('scores'), get('n'), get('top'), get('scale'), get('last'), get('cellSlot'));
  emit(get('trash'), get('laneCounts'), get('candidates'), call('countCells'));
  emit(set('candidateCount'));
  forRange('p', c32(0), plus(get('mA'), one), () => {
    emit(get('p'), c32(2), op.i32Shl, set('c'));
    const lane = (l: number) => a.i32('laneCounts', plus(get('c'), c32(l)));
    a.add('slotCounts', get('p'), [
      ...lane(0),
      ...lane(1),
      ...ADD,
      ...lane(2),
      ...ADD,
      ...lane(3),
      ...ADD,
    ]);
  });
  // The relevant items were counted like the others: take them out.
  a.zero('near', plus(get('mA'), one));
  forRange('r', c32(0), get('positives'), () => {
    // cellOf(keys[r], top, scale, last), as countCells computes it.
    emit(get('top'), a.f64(keys, get('r')), FSUB, get('scale'), FMUL, constF64(1), FADD);
    emit(op.i32TruncSatF64S, set('c'));
    emit(c32(0), get('c'), get('c'), c32(0), LT, op.select, set('c'));
    emit(get('last'), get('c'), get('c'), get('last'), GT, op.select, set('c'));
    a.add('slotCounts', [...a.i32('cellSlot', get('c')), ...c32(2), ...op.i32ShrS], c32(-1));
  });
  // Thresholds that two relevant items share, or that a neighbour is not apart from.
  a.zero('thresholdOf', get('mA'));
  forRange('r', c32(0), get('positives'), () =>
    a.add('thresholdOf', a.i32('approximateSlot', get('r')), one),
  );
  forRange('i', c32(0), get('mA'), () => {
    when([...a.i32('thresholdOf', get('i')), ...one, ...GT], () => {
      a.add('near', get('i'), one);
      a.add('near', plus(get('i'), one), c32(-1));
    });
    when([...get('i'), ...c32(0), ...GT], () =>
      when(
        [
          ...a.f64(tA, minus(get('i'), one)),
          ...a.f64(tA, get('i')),
          ...FSUB,
          ...get('apart'),
          ...FLE,
        ],
        () => {
          a.add('near', minus(get('i'), one), one);
          a.add('near', plus(get('i'), one), c32(-1));
        },
      ),
    );
  });
  emit(c32(0), set('pending'));
  forRange('e', c32(0), get('candidateCount'), () => {
    emit(a.i32('candidates', get('e')), set('j'));
    when([...a.i32('labels', get('j')), ...get('label'), ...op.i32Ne], () => {
      emit(approximate(get('j')), set('v'), slotOf(tA, 'mA'), set('p'));
      when(
        nearKey(tA, 'mA', 'apart'),
        () => {
          // from: first threshold with tA[mid] - v <= apart; lo: first with v - tA[mid] > apart.
          emit(c32(0), set('lo'), get('p'), set('hi'));
          whileAll([[...get('lo'), ...get('hi'), ...LT]], () => {
            emit(get('lo'), get('hi'), ADD, one, SHR_U, set('mid'));
            when(
              [...a.f64(tA, get('mid')), ...get('v'), ...FSUB, ...get('apart'), ...FLE],
              () => emit(get('mid'), set('hi')),
              () => emit(get('mid'), one, ADD, set('lo')),
            );
          });
          emit(get('lo'), set('from'), get('p'), set('lo'), get('mA'), set('hi'));
          whileAll([[...get('lo'), ...get('hi'), ...LT]], () => {
            emit(get('lo'), get('hi'), ADD, one, SHR_U, set('mid'));
            when(
              [...get('v'), ...a.f64(tA, get('mid')), ...FSUB, ...get('apart'), ...FGT],
              () => emit(get('mid'), set('hi')),
              () => emit(get('mid'), one, ADD, set('lo')),
            );
          });
          a.add('near', get('from'), one);
          a.add('near', get('lo'), c32(-1));
          a.setI32('ambiguous', get('pending'), get('j'));
          a.step('pending');
        },
        () => a.add('slotCounts', get('p'), one),
      );
    });
  });
  forRange('i', one, get('mA'), () => a.add('near', get('i'), a.i32('near', minus(get('i'), one))));

  // Keys: the exact score of each relevant item that is not isolated.
  emit(c32(0), set('needed'));
  forRange('r', c32(0), get('positives'), () =>
    when([...a.i32('near', a.i32('approximateSlot', get('r'))), ...c32(0), ...GT], () => {
      a.setI32('neededItems', get('needed'), a.i32('relevant', get('r')));
      a.setI32('neededIndex', get('r'), get('needed'));
      a.setI32('neededOf', get('needed'), get('r'));
      a.step('needed');
    }),
  );
  emit(c32(0), get('needed'), op.call(index('exact')));
  forRange('k', c32(0), get('needed'), () =>
    a.setF64(keys, a.i32('neededOf', get('k')), a.f64('neededScores', get('k'))),
  );
  // Distinct exact keys (in ambiguousScores), merged with the isolated approximate ones into t.
  emit(get('neededScores'), get('needed'), get('order'), get('buckets'), get('ambiguousScores'));
  emit(get('exactSlot'), call('distinct'), set('mE'));
  emit(c32(0), set('m'), c32(0), set('i'), c32(0), set('e'));
  whileAll([[...get('i'), ...get('mA'), ...LT, ...get('e'), ...get('mE'), ...LT, ...OR]], () =>
    when(
      [...get('i'), ...get('mA'), ...LT, ...a.i32('near', get('i')), ...c32(0), ...GT, ...AND],
      () => a.step('i'),
      () =>
        when(
          [
            ...get('e'),
            ...get('mE'),
            ...GE,
            ...get('i'),
            ...get('mA'),
            ...LT,
            ...a.f64(tA, get('i')),
            ...a.f64('ambiguousScores', get('e')),
            ...FGT,
            ...AND,
            ...OR,
          ],
          () => {
            a.setI32('keyOfApproximate', get('i'), get('m'));
            a.setF64('thresholds', get('m'), a.f64(tA, get('i')));
            a.step('m');
            a.step('i');
          },
          () => {
            a.setI32('keyOfExact', get('e'), get('m'));
            a.setF64('thresholds', get('m'), a.f64('ambiguousScores', get('e')));
            a.step('m');
            a.step('e');
          },
        ),
    ),
  );
  emit(get('thresholds'), get('m'), get('cellStart'), call('buildGrid'), set('gridScale'));

  // Relevant items per key, and where each sits.
  a.zero('relevantCounts', get('m'));
  a.zero('keySlotOf', plus(get('mA'), one));
  forRange('r', c32(0), get('positives'), () => {
    emit(a.i32('approximateSlot', get('r')), set('i0'));
    when(
      [...a.i32('near', get('i0')), ...c32(0), ...GT],
      () => emit(a.i32('keyOfExact', a.i32('exactSlot', a.i32('neededIndex', get('r')))), set('p')),
      () => emit(a.i32('keyOfApproximate', get('i0')), set('p')),
    );
    a.setI32('unsortedRanks', get('r'), get('p'));
    a.add('relevantCounts', get('p'), one);
    emit(get('i0'), one, ADD, set('i'));
    when([...get('p'), ...one, ...ADD, ...a.i32('keySlotOf', get('i')), ...GT], () =>
      a.setI32('keySlotOf', get('i'), plus(get('p'), one)),
    );
  });
  a.zero('keyCounts', plus(get('m'), one));
  a.add('keyCounts', c32(0), a.i32('slotCounts', c32(0)));
  forRange('p', one, plus(get('mA'), one), () => {
    when(
      [...a.i32('keySlotOf', minus(get('p'), one)), ...a.i32('keySlotOf', get('p')), ...GT],
      () => a.setI32('keySlotOf', get('p'), a.i32('keySlotOf', minus(get('p'), one))),
    );
    a.add('keyCounts', a.i32('keySlotOf', get('p')), a.i32('slotCounts', get('p')));
  });

  // Pass 2: the items not apart from some relevant item, against the keys.
  emit(c32(0), set('ambiguousCount'));
  forRange('e', c32(0), get('pending'), () => {
    emit(a.i32('ambiguous', get('e')), set('j'), approximate(get('j')), set('v'));
    emit(slotOf('thresholds', 'm'), set('p'));
    when(
      nearKey('thresholds', 'm', 'margin'),
      () => {
        a.setI32('ambiguous', get('ambiguousCount'), get('j'));
        a.step('ambiguousCount');
      },
      () => a.add('keyCounts', get('p'), one),
    );
  });
  emit(c32(1), get('ambiguousCount'), op.call(index('exact')));
  emit(c32(0), set('tied'));
  forRange('e', c32(0), get('ambiguousCount'), () => {
    emit(a.f64('ambiguousScores', get('e')), set('v'), slotOf('thresholds', 'm'), set('p'));
    when(
      [
        ...get('p'),
        ...get('m'),
        ...LT,
        ...a.f64('thresholds', get('p')),
        ...get('v'),
        ...op.f64Eq,
        ...AND,
      ],
      () => {
        a.setI32('ambiguous', get('tied'), a.i32('ambiguous', get('e')));
        a.setI32('thresholdOf', get('tied'), get('p'));
        a.step('tied');
      },
      () => a.add('keyCounts', get('p'), one),
    );
  });

  // Tied other items grouped by threshold, in gallery order (int32, in ambiguousScores).
  const tiedItems = 'ambiguousScores';
  a.zero('tiedStart', plus(get('m'), one));
  forRange('e', c32(0), get('tied'), () =>
    a.add('tiedStart', plus(a.i32('thresholdOf', get('e')), one), one),
  );
  forRange('i', c32(0), get('m'), () =>
    a.add('tiedStart', plus(get('i'), one), a.i32('tiedStart', get('i'))),
  );
  forRange('i', c32(0), get('m'), () => a.setI32('fill', get('i'), a.i32('tiedStart', get('i'))));
  forRange('e', c32(0), get('tied'), () => {
    emit(a.i32('thresholdOf', get('e')), set('k'));
    a.setI32(tiedItems, a.i32('fill', get('k')), a.i32('ambiguous', get('e')));
    a.add('fill', get('k'), one);
  });
  // above (in seen): items scoring strictly higher than each key.
  emit(c32(0), set('higher'));
  forRange('i', c32(0), get('m'), () => {
    a.step('higher', a.i32('keyCounts', get('i')));
    a.setI32('seen', get('i'), get('higher'));
    a.step('higher', [
      ...a.i32('relevantCounts', get('i')),
      ...a.i32('tiedStart', plus(get('i'), one)),
      ...ADD,
      ...a.i32('tiedStart', get('i')),
      ...SUB,
    ]);
  });
  forRange('i', c32(0), get('m'), () => a.setI32('fill', get('i'), a.i32('tiedStart', get('i'))));
  // Relevant items per key (in thresholdOf), then counted again as they are placed.
  forRange('i', c32(0), get('m'), () =>
    a.setI32('thresholdOf', get('i'), a.i32('relevantCounts', get('i'))),
  );
  a.zero('relevantCounts', get('m'));
  a.setI32('relevantStart', c32(0), c32(0));
  forRange('i', c32(0), get('m'), () =>
    a.setI32(
      'relevantStart',
      plus(get('i'), one),
      plus(a.i32('relevantStart', get('i')), a.i32('thresholdOf', get('i'))),
    ),
  );
  forRange('r', c32(0), get('positives'), () => {
    emit(a.i32('unsortedRanks', get('r')), set('i'), a.i32('relevant', get('r')), set('item'));
    whileAll(
      [
        [...a.i32('fill', get('i')), ...a.i32('tiedStart', plus(get('i'), one)), ...LT],
        [...a.i32(tiedItems, a.i32('fill', get('i'))), ...get('item'), ...LT],
      ],
      () => a.add('fill', get('i'), one),
    );
    emit(a.i32('relevantCounts', get('i')), set('seenCount'));
    a.add('relevantCounts', get('i'), one);
    a.setI32('ranks', plus(a.i32('relevantStart', get('i')), get('seenCount')), [
      ...a.i32('seen', get('i')),
      ...get('seenCount'),
      ...ADD,
      ...a.i32('fill', get('i')),
      ...a.i32('tiedStart', get('i')),
      ...SUB,
      ...ADD,
    ]);
  });
  // Tie ends, key by key.
  emit(c32(0), set('j'));
  forRange('i', c32(0), get('m'), () => {
    emit(a.i32('seen', get('i')), a.i32('thresholdOf', get('i')), ADD);
    emit(a.i32('tiedStart', plus(get('i'), one)), a.i32('tiedStart', get('i')), SUB, ADD);
    emit(set('endRank'));
    forRange('c', c32(0), a.i32('thresholdOf', get('i')), () => {
      a.setI32('tieEnds', get('j'), get('endRank'));
      a.step('j');
    });
  });
  return a.body();
}
