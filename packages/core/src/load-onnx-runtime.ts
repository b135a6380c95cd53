/** Thrown by {@link loadOnnxRuntime} when onnxruntime-node is not installed or does not load. */
export class OnnxRuntimeError extends Error {
  override name = 'OnnxRuntimeError';
}

/** How to install the runtime, as {@link OnnxRuntimeError} says it. */
const INSTALL =
  'npm install onnxruntime-node@1.30.0 (offline, skip its install script: ONNXRUNTIME_NODE_INSTALL=skip with any npm, or `npm deny-scripts onnxruntime-node` with npm 11; CPU inference needs nothing from it)';

let loading: Promise<unknown> | undefined;

/**
 * Loads onnxruntime-node, the optional peer dependency behind every ONNX Runtime engine
 * (`@zs-sbir/backbones`' `{ onnx }` backbones, `@zs-sbir/wad-cmsn`'s `onnx` training engine),
 * once per process. Core does not depend on its types: pass them as `Runtime`, e.g.
 * `loadOnnxRuntime<typeof import('onnxruntime-node')>()`, so installs without it still type-check.
 *
 * @returns the module (its default export when it is loaded as CommonJS).
 * @throws {OnnxRuntimeError} saying how to install it when it is missing or fails to load; the
 *   next call tries again.
 */
export function loadOnnxRuntime<Runtime = unknown>(): Promise<Runtime> {
  loading ??= (async () => {
    try {
      // A variable specifier keeps bundlers away from this optional peer dependency.
      const specifier = 'onnxruntime-node';
      const mod = (await import(specifier)) as { InferenceSession?: unknown; default?: unknown };
      return mod.InferenceSession ? mod : mod.default;
    } catch (err) {
      loading = undefined;
      throw new OnnxRuntimeError(
        `onnxruntime-node is not installed or did not load (${(err as Error).message}); install it with ${INSTALL}`,
        { cause: err },
      );
    }
  })();
  return loading as Promise<Runtime>;
}
