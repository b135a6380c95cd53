import { tf } from '@zs-sbir/core';
import { BackboneError } from './backbone-error.js';
import { closestNames } from './closest-names.js';

interface NodeJson {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { shape?: { dim?: { size?: string | number }[] } }>;
}

/** The operation nodes of a TF.js graph-model topology (a `GraphDef`), constants left out. */
function operationNodes(topology: unknown): NodeJson[] {
  const nodes = (topology as { node?: NodeJson[] }).node ?? [];
  return nodes.filter((n) => n.op !== 'Const');
}

/** A node input reference (`name`, `name:1`, `^name`) as the node's name. */
const inputNode = (ref: string) => ref.replace(/^\^/, '').replace(/:\d+$/, '');

/**
 * The names a graph model's features can be read from: every scope (path segment, such as
 * `expanded_conv_13`) and every operation node's full name.
 */
export function graphNodeNames(topology: unknown): string[] {
  const nodes = operationNodes(topology);
  const segments = new Set<string>();
  for (const n of nodes) for (const s of n.name.split('/')) segments.add(s);
  return [...segments, ...nodes.map((n) => n.name)];
}

/**
 * The node a name designates in a graph model, so TF Hub exports with long prefixes can be
 * addressed by short names:
 * 1. a node's full name;
 * 2. the end of exactly one node's name after a `/` (`expanded_conv_13/expand/Relu6`);
 * 3. a scope (`expanded_conv_13`): its one node read by nodes outside the scope (its output).
 *
 * @throws {BackboneError} for an unknown name (listing the closest valid ones) or an ambiguous one.
 */
export function resolveGraphNode(topology: unknown, name: string, label: string): string {
  const nodes = operationNodes(topology);
  if (nodes.some((n) => n.name === name)) return name;
  const bySuffix = nodes.filter((n) => n.name.endsWith(`/${name}`));
  if (bySuffix.length === 1) return bySuffix[0]!.name;
  const inScope = (n: string) => n.startsWith(`${name}/`) || n.includes(`/${name}/`);
  const scope = nodes.filter((n) => inScope(n.name));
  if (scope.length > 0) {
    const readOutside = new Set<string>();
    for (const n of nodes) {
      if (inScope(n.name)) continue;
      for (const ref of n.input ?? []) readOutside.add(inputNode(ref));
    }
    const outputs = scope.filter((n) => readOutside.has(n.name));
    if (outputs.length === 1) return outputs[0]!.name;
    const shown = (outputs.length ? outputs : scope).slice(0, 4).map((n) => n.name);
    throw new BackboneError(
      `${label}: option 'layer' '${name}' is ambiguous (a scope with ${outputs.length} outputs); give a node's full name, e.g. ${shown.join(', ')}`,
    );
  }
  if (bySuffix.length > 1) {
    throw new BackboneError(
      `${label}: option 'layer' '${name}' ends ${bySuffix.length} node names; give more of it, e.g. ${bySuffix
        .slice(0, 3)
        .map((n) => n.name)
        .join(', ')}`,
    );
  }
  const valid = graphNodeNames(topology);
  throw new BackboneError(
    `${label} has no node or scope '${name}' (option 'layer'); closest: ${closestNames(name, valid).join(', ')}`,
  );
}

/** The graph's image input: its `Placeholder` node with a 4-d shape. */
function imageInput(topology: unknown, label: string): NodeJson {
  const placeholders = operationNodes(topology).filter((n) => n.op === 'Placeholder');
  const image = placeholders.find((n) => n.attr?.shape?.shape?.dim?.length === 4);
  if (!image) {
    throw new BackboneError(
      `${label}: no image input (a Placeholder [batch, height, width, 3]) in the graph model; found ${placeholders.map((p) => p.name).join(', ') || 'no Placeholder'}`,
    );
  }
  return image;
}

/** Options of {@link loadGraphFeatureModel}. */
export interface GraphFeatureModelOptions {
  label: string;
  /** Nodes or scopes (see {@link resolveGraphNode}), pooled and concatenated in this order. */
  layers: readonly string[];
  /** Input height and width; default the graph's own (its Placeholder's shape). */
  inputSize?: number;
}

/** A graph model read at some nodes, global-average pooled and concatenated. */
export interface GraphFeatureModel {
  model: tf.GraphModel;
  /** Full name of the image input (its Placeholder). */
  inputName: string;
  /** Full names of the nodes read. */
  nodes: string[];
  inputSize: number;
  outputDim: number;
  /** The length of each node's pooled feature. */
  layerDims: number[];
  /** `[batch, size, size, 3]` to `[batch, outputDim]` (inside `tf.tidy`). */
  forward(batch: tf.Tensor4D): tf.Tensor2D;
}

/** Global average pooling of a `[batch, h, w, c]` node output (a `[batch, c]` one passes). */
function pool(t: tf.Tensor, node: string, label: string): tf.Tensor2D {
  if (t.rank === 4) return tf.mean(t, [1, 2]) as tf.Tensor2D;
  if (t.rank === 2) return t as tf.Tensor2D;
  throw new BackboneError(
    `${label}: node ${node} gives [${t.shape.join(', ')}], expected [batch, h, w, c] or [batch, c]`,
  );
}

/**
 * Builds a feature extractor from TensorFlow.js graph-model artifacts (`tensorflowjs_converter
 * --output_format tfjs_graph_model`, e.g. a TF Hub export): runs the graph up to the chosen
 * nodes only, global-average pools each `[batch, h, w, c]` output and concatenates them. The input
 * may be rebuilt for another size (its Placeholder's height and width are freed).
 *
 * @throws {BackboneError} for unknown or ambiguous nodes, a graph without an image input, or a
 *   node whose output is neither 4-d nor 2-d.
 */
export async function loadGraphFeatureModel(
  artifacts: tf.io.ModelArtifacts,
  options: GraphFeatureModelOptions,
): Promise<GraphFeatureModel> {
  const { label } = options;
  const topology = structuredClone(artifacts.modelTopology) as object;
  const nodes = options.layers.map((l) => resolveGraphNode(topology, l, label));
  if (nodes.length === 0) throw new BackboneError(`${label}: option 'layer' is an empty list`);
  const input = imageInput(topology, label);
  const dims = input.attr!.shape!.shape!.dim!;
  const native = Number(dims[1]?.size);
  const inputSize = options.inputSize ?? (native > 0 ? native : 224);
  // Free height and width so the graph accepts any input size.
  dims[1] = { size: '-1' };
  dims[2] = { size: '-1' };
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({ ...artifacts, modelTopology: topology }),
  );
  const inputName = input.name;
  const pooledNodes = (batch: tf.Tensor4D): tf.Tensor2D[] => {
    const raw = model.execute({ [inputName]: batch }, nodes);
    return (Array.isArray(raw) ? raw : [raw]).map((t, k) => pool(t, nodes[k]!, label));
  };
  const forward = (batch: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const pooled = pooledNodes(batch);
      return pooled.length > 1 ? tf.concat(pooled, 1) : pooled[0]!;
    });
  let layerDims: number[];
  try {
    layerDims = tf.tidy(() =>
      pooledNodes(tf.zeros([1, inputSize, inputSize, 3]) as tf.Tensor4D).map((p) => p.shape[1]),
    );
  } catch (err) {
    model.dispose();
    throw err instanceof BackboneError
      ? err
      : new BackboneError(
          `${label}: the graph does not run at ${inputSize} px: ${(err as Error).message}`,
        );
  }
  const outputDim = layerDims.reduce((a, b) => a + b, 0);
  return { model, inputName, nodes, inputSize, outputDim, layerDims, forward };
}
