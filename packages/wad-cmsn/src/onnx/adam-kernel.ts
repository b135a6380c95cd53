import { wasmEncoding } from '@zs-sbir/metrics';

const { name, section, uleb, vector } = wasmEncoding;

/**
 * A WebAssembly module with one function
 * `adam(w, g, m, v, bytes, b1, k1, b2, k2, d1, d2, eps, negLr)` that applies an Adam update in
 * place to `bytes / 4` float32 values at byte offsets `w` (weights), `g` (gradients), `m`, `v`
 * (moments) of the imported memory `env.memory`, four lanes at a time (SIMD, Node >= 16.4).
 * `bytes` is a multiple of 16 and every offset 16-byte aligned. The operations and their order
 * are TensorFlow.js's `AdamOptimizer`'s, each rounded to float32:
 *
 * `m' = m b1 + g k1`, `v' = v b2 + (g g) k2`, `w' = ((m' / d1) / (sqrt(v' / d2) + eps)) negLr + w`
 *
 * with `k1 = 1 - b1`, `k2 = 1 - b2`, `d1 = 1 - b1^t`, `d2 = 1 - b2^t` and `negLr = -lr`.
 */
export function adamKernelModule(): Uint8Array {
  const i32 = 0x7f;
  const f32 = 0x7d;
  const v128 = 0x7b;
  const pointers = ['w', 'g', 'm', 'v', 'bytes'];
  const scalars = ['b1', 'k1', 'b2', 'k2', 'd1', 'd2', 'eps', 'negLr'];
  const splats = scalars.map((s) => `${s}x4`);
  const vecs = [...splats, 'G', 'M', 'V'];
  const index = new Map(
    [...pointers, ...scalars, 'p', ...vecs].map((l, i): [string, number] => [l, i]),
  );
  const code: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) code.push(...part);
  };
  const get = (l: string) => [0x20, ...uleb(index.get(l)!)];
  const set = (l: string) => [0x21, ...uleb(index.get(l)!)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const at = (base: string) => [...get(base), ...get('p'), 0x6a];
  const load = (base: string) => [...at(base), ...simd(0x00), 4, 0];
  const store = (base: string, value: number[]) => [...at(base), ...value, ...simd(0x0b), 4, 0];
  const [add, mul, div, sqrt] = [0xe4, 0xe6, 0xe7, 0xe3].map(simd) as [
    number[],
    number[],
    number[],
    number[],
  ];

  scalars.forEach((s, i) => {
    emit(get(s), simd(0x13), set(splats[i]!));
  });
  emit([0x41, 0], set('p'));
  emit([0x02, 0x40, 0x03, 0x40]);
  emit(get('p'), get('bytes'), [0x4f], [0x0d, 1]); // p >= bytes: leave
  emit(load('g'), set('G'));
  emit(load('m'), get('b1x4'), mul, get('G'), get('k1x4'), mul, add, set('M'));
  emit(load('v'), get('b2x4'), mul, get('G'), get('G'), mul, get('k2x4'), mul, add, set('V'));
  emit(store('m', get('M')), store('v', get('V')));
  emit(
    store('w', [
      ...get('M'),
      ...get('d1x4'),
      ...div,
      ...get('V'),
      ...get('d2x4'),
      ...div,
      ...sqrt,
      ...get('epsx4'),
      ...add,
      ...div,
      ...get('negLrx4'),
      ...mul,
      ...load('w'),
      ...add,
    ]),
  );
  emit(get('p'), [0x41, 16, 0x6a], set('p'), [0x0c, 0], [0x0b, 0x0b]);
  emit([0x0b]);

  const locals = vector([
    [1, i32],
    [...uleb(vecs.length), v128],
  ]);
  const body = [...locals, ...code];
  const type = [0x60, ...vector([...pointers.map(() => [i32]), ...scalars.map(() => [f32])]), 0x00];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([type])),
    // Imported memory, not shared (limits flag 0), at least one page.
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vector([[0x00]])),
    ...section(7, vector([[...name('adam'), 0x00, 0x00]])),
    ...section(10, vector([[...uleb(body.length), ...body]])),
  ]);
}
