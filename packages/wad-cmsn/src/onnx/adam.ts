import { OnnxError } from '@zs-sbir/graph';
import { adamKernelModule } from './adam-kernel.js';

/** Adam's settings, as `tf.train.adam(learningRate, beta1, beta2, epsilon)` takes them. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** One trained array: weights, gradient and moments, all views into an {@link AdamArena}. */
export interface AdamSlot {
  w: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * How far Adam has got, as `AdamOptimizer` holds it: `iterations` (updates made) and
 * `accBeta1`/`accBeta2` (`beta^(iterations + 1)` in float32, for the next update's bias
 * correction). TF.js keeps these as a running float32 product `accBeta * beta` from a fresh
 * optimiser, but sets them to `pow(beta, iterations + 1)` in `setWeights`, and the two differ in
 * the last bit; so they are carried, not recomputed from `iterations`.
 */
export interface AdamCount {
  iterations: number;
  accBeta1: number;
  accBeta2: number;
}

/** The count of a fresh `tf.train.adam(...)`: no updates, `accBeta = beta` in float32. */
export const freshAdamCount = (settings: AdamSettings): AdamCount => ({
  iterations: 0,
  accBeta1: Math.fround(settings.beta1),
  accBeta2: Math.fround(settings.beta2),
});

/** WebAssembly memory holding trained arrays, and the SIMD Adam kernel that updates them. */
export interface AdamArena {
  /** A zeroed float32 array of `n` values in the arena (16-byte aligned, padded to 4 values). */
  alloc(n: number): Float32Array;
  /** A slot of four zeroed arrays of `n` values. */
  slot(n: number): AdamSlot;
  /**
   * One Adam update of every slot in place with the gradients in their `g`, TensorFlow.js's
   * float32 arithmetic (see `adamKernelModule`), bias corrections `1 - count.accBeta`; advances
   * `count` as `AdamOptimizer.applyGradients` does, so it equals `tf.train.adam` bit for bit.
   */
  update(slots: readonly AdamSlot[], count: AdamCount, settings: AdamSettings): void;
}

const PAGE = 65536;

/** The part of the WebAssembly API used here (TypeScript declares it only in its DOM library). */
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Makes an arena for `floats` float32 values in all (count each array padded to a multiple of
 * four). The memory never grows, so views stay valid.
 *
 * Adam runs in a small WebAssembly SIMD kernel rather than plain typed-array code because that
 * was measured: TypeScript with `Math.fround` after each operation (needed to match TF.js bit
 * for bit) took 0.8-1.2 s per pass over the D_v = 4096 step's 43 M parameters against 0.06-0.1 s,
 * and made the whole step 1.85x slower at the median (see docs/benchmarks.md, wad-step).
 *
 * @throws OnnxError when it would exceed WebAssembly's 4 GiB.
 */
export function createAdamArena(floats: number): AdamArena {
  const bytes = Math.max(16, floats * 4);
  const pages = Math.ceil(bytes / PAGE);
  if (pages > 65536) {
    throw new OnnxError(
      `the onnx engine needs ${(bytes / 2 ** 30).toFixed(1)} GiB for weights and Adam state; WebAssembly allows 4 GiB`,
    );
  }
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  const instance = new wasm.Instance(new wasm.Module(adamKernelModule()), { env: { memory } });
  const kernel = instance.exports.adam as (...args: number[]) => void;
  let top = 0;
  const alloc = (n: number) => {
    const padded = Math.ceil(n / 4) * 16;
    if (top + padded > bytes) throw new OnnxError(`AdamArena: out of space (${n} more values)`);
    const view = new Float32Array(memory.buffer, top, n);
    top += padded;
    return view;
  };
  return {
    alloc,
    slot: (n) => ({ w: alloc(n), g: alloc(n), m: alloc(n), v: alloc(n) }),
    update(slots, count, settings) {
      const f = Math.fround;
      const { beta1, beta2 } = settings;
      const d1 = f(1 - count.accBeta1);
      const d2 = f(1 - count.accBeta2);
      for (const s of slots) {
        kernel(
          s.w.byteOffset,
          s.g.byteOffset,
          s.m.byteOffset,
          s.v.byteOffset,
          Math.ceil(s.w.length / 4) * 16,
          beta1,
          1 - beta1,
          beta2,
          1 - beta2,
          d1,
          d2,
          settings.epsilon,
          -settings.learningRate,
        );
      }
      count.iterations += 1;
      count.accBeta1 = f(count.accBeta1 * f(beta1));
      count.accBeta2 = f(count.accBeta2 * f(beta2));
    },
  };
}

/** Floats an arena needs for slots of these sizes (four padded arrays each). */
export const slotFloats = (sizes: readonly number[]) =>
  sizes.reduce((n, s) => n + 4 * Math.ceil(s / 4) * 4, 0);
