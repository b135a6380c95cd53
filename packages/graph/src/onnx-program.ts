import { loadOnnxRuntime } from '@zs-sbir/core';
import type * as Ort from 'onnxruntime-node';
import type { Graph } from './graph.js';
import { OnnxError } from './onnx-error.js';
import { toOnnxModel } from './onnx-model.js';

type OrtModule = typeof Ort;

/**
 * Loads onnxruntime-node (an optional peer) through `@zs-sbir/core`'s `loadOnnxRuntime`.
 *
 * @throws OnnxError saying how to install it when it is missing.
 */
export async function importOnnxRuntime(): Promise<OrtModule> {
  try {
    return await loadOnnxRuntime<OrtModule>();
  } catch (err) {
    throw new OnnxError(`the 'onnx' engine: ${(err as Error).message}`, { cause: err });
  }
}

/** Options of {@link compileGraph}. */
export interface CompileOptions {
  /** ONNX Runtime intra-op threads; default 0 (one per core). */
  threads?: number;
}

/** Options of {@link compileGraph}: threads, and arrays to receive some outputs. */
export interface CompileGraphOptions extends CompileOptions {
  /** Arrays (of the output's size) that these outputs are written into; others are allocated. */
  outputs?: Readonly<Record<string, Float32Array>>;
}

/** A compiled graph: feeds float32 inputs, writes float32 outputs into arrays it owns. */
export interface OnnxProgram {
  /** Input names and element counts, in graph order. */
  readonly inputs: readonly { name: string; shape: readonly number[] }[];
  /** One array per output, overwritten by each {@link run}. */
  readonly outputs: Readonly<Record<string, Float32Array>>;
  /** Runs the graph on `feeds` (every input by name); the results land in {@link outputs}. */
  run(feeds: Readonly<Record<string, Float32Array>>): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Compiles a {@link Graph} whose inputs and outputs are all float32 with ONNX Runtime (CPU,
 * every graph optimisation on). Output arrays are allocated once and bound to each run, so a
 * run allocates nothing on the JavaScript side.
 *
 * @throws OnnxError when onnxruntime-node is missing, an input or output is not float32, or
 *   ONNX Runtime rejects the model.
 */
export async function compileGraph(
  graph: Graph,
  options: CompileGraphOptions = {},
): Promise<OnnxProgram> {
  const named = [
    ...graph.inputs.map((s) => ({ name: s.name, dtype: s.dtype })),
    ...graph.outputs.map((o) => ({ name: o.name, dtype: o.sym.dtype })),
  ];
  for (const { name, dtype } of named) {
    if (dtype !== 'float32') {
      throw new OnnxError(
        `compileGraph: '${name}' is ${dtype}, only float32 inputs and outputs are supported`,
      );
    }
  }
  const ort = await importOnnxRuntime();
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(toOnnxModel(graph), {
      intraOpNumThreads: options.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Idle pool threads sleep instead of spinning: much faster when other work shares the cores
      // (two trainings at once, a loaded machine), no slower alone.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    throw new OnnxError(`compileGraph: ONNX Runtime rejected the graph: ${(err as Error).message}`);
  }
  const inputs = graph.inputs.map((s) => ({ name: s.name, shape: s.shape }));
  const outputs: Record<string, Float32Array> = {};
  const fetches: Record<string, Ort.Tensor> = {};
  for (const { name, sym } of graph.outputs) {
    const n = sym.shape.reduce((a, b) => a * b, 1);
    const data = options.outputs?.[name] ?? new Float32Array(n);
    if (data.length !== n)
      throw new OnnxError(
        `compileGraph: the array for output '${name}' holds ${data.length} values, expected ${n}`,
      );
    outputs[name] = data;
    fetches[name] = new ort.Tensor('float32', data, [...sym.shape]);
  }
  const outputList = Object.values(outputs);
  const tensors = new WeakMap<Float32Array, Ort.Tensor>();
  const tensorOf = (data: Float32Array, shape: readonly number[]) => {
    let t = tensors.get(data);
    if (!t) {
      t = new ort.Tensor('float32', data, [...shape]);
      tensors.set(data, t);
    }
    return t;
  };
  return {
    inputs,
    outputs,
    async run(feeds) {
      const named: Record<string, Ort.Tensor> = {};
      for (const { name, shape } of inputs) {
        const data = feeds[name];
        const n = shape.reduce((a, b) => a * b, 1);
        if (!data || data.length !== n) {
          throw new OnnxError(
            `run: input '${name}' must hold ${n} values ([${shape.join(', ')}]), got ${data ? data.length : 'nothing'}`,
          );
        }
        named[name] = tensorOf(data, shape);
      }
      // ONNX Runtime writes into the bound arrays (and hands back copies); a NaN sentinel
      // catches a version that would not, and then the copies are used.
      for (const data of outputList) data[0] = Number.NaN;
      const result = await session.run(named, fetches);
      for (const [name, data] of Object.entries(outputs)) {
        const got = result[name]?.data as Float32Array | undefined;
        if (got && got !== data && Number.isNaN(data[0]!) && !Number.isNaN(got[0]!)) data.set(got);
      }
    },
    dispose: () => session.release(),
  };
}
