import { adamKernelModule } from './adam-kernel.js';
import { OnnxError } from './onnx-error.js';

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

/** How many updates Adam has made (`AdamOptimizer`'s `iterations`). */
export interface AdamCount {
  iterations: number;
}

/** WebAssembly memory holding trained arrays, and the SIMD Adam kernel that updates them. */
export interface AdamArena {
  /** A zeroed float32 array of `n` values in the arena (16-byte aligned, padded to 4 values). */
  alloc(n: number): Float32Array;
  /** A slot of four zeroed arrays of `n` values. */
  slot(n: number): AdamSlot;
  /**
   * One Adam update of every slot in place with the gradients in their `g`, TensorFlow.js's
   * float32 arithmetic (see `adamKernelModule`); advances `count`. The bias corrections use
   * `beta^t` rounded to float32, computed from the count (as `AdamOptimizer.setWeights` does), so
   * a run resumed from a checkpoint continues exactly.
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
      const t = count.iterations + 1;
      const d1 = f(1 - f(beta1 ** t));
      const d2 = f(1 - f(beta2 ** t));
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
      count.iterations = t;
    },
  };
}

/** Floats an arena needs for slots of these sizes (four padded arrays each). */
export const slotFloats = (sizes: readonly number[]) =>
  sizes.reduce((n, s) => n + 4 * Math.ceil(s / 4) * 4, 0);
