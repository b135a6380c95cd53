import { setFlagsFromString } from 'node:v8';
import { dotKernelModule, relaxedSimdProbe } from './dot-kernel-module.js';
import { MetricsError } from './metrics-error.js';

/** The compiled {@link dotKernelModule}, and whether its float32 tile uses `relaxed_madd`. */
export interface CompiledDotKernel {
  module: WebAssembly.Module;
  fused: boolean;
}

/** V8's switch for relaxed SIMD before it shipped (Node 20, V8 11.3; on by default from 11.4). */
const RELAXED_SIMD_FLAG = 'experimental-wasm-relaxed-simd';

const cache = new Map<boolean, CompiledDotKernel>();
/** Whether this runtime accepted relaxed SIMD (undefined until tried). */
let relaxedSimd: boolean | undefined;

/**
 * Runs `compile` with relaxed SIMD accepted, or returns undefined where this runtime cannot
 * accept it. On Node 20 the V8 flag is switched on only for the synchronous compilation and off
 * again: V8 reads WebAssembly feature flags when it validates and compiles a module, and the
 * compiled module keeps the features it was compiled with (also when posted to a worker).
 */
function withRelaxedSimd<T>(compile: () => T): T | undefined {
  const probe = relaxedSimdProbe();
  if (WebAssembly.validate(probe)) return compile();
  try {
    setFlagsFromString(`--${RELAXED_SIMD_FLAG}`);
  } catch {
    return undefined;
  }
  try {
    return WebAssembly.validate(probe) ? compile() : undefined;
  } finally {
    setFlagsFromString(`--no-${RELAXED_SIMD_FLAG}`);
  }
}

/**
 * Compiles {@link dotKernelModule} once per process (cached): `auto` (default) uses the fused
 * float32 tile where the runtime accepts relaxed SIMD (Node >= 22, or Node 20 through the V8 flag
 * above, set and reset here: users pass no flag), else the unfused one. Every result of the
 * bounded path is the same either way; only its speed differs. Pass the module to worker threads
 * rather than compiling there.
 * @throws {MetricsError} when `fused` is `true` and relaxed SIMD is not available.
 */
export function compileDotKernel(fused: boolean | 'auto' = 'auto'): CompiledDotKernel {
  if (fused !== false && relaxedSimd !== false && !cache.has(true)) {
    const module = withRelaxedSimd(() => new WebAssembly.Module(dotKernelModule(true)));
    relaxedSimd = module !== undefined;
    if (module) cache.set(true, { module, fused: true });
  }
  const wanted = fused !== false && relaxedSimd ? cache.get(true) : undefined;
  if (wanted) return wanted;
  if (fused === true) {
    throw new MetricsError(
      'compileDotKernel: fused: true needs WebAssembly relaxed SIMD, which this runtime does not accept',
    );
  }
  if (!cache.has(false)) {
    cache.set(false, { module: new WebAssembly.Module(dotKernelModule()), fused: false });
  }
  return cache.get(false)!;
}
