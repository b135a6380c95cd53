import onnxProto from 'onnx-proto';
import type { AttributeValue, DType, Graph, GraphNode, Shape, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';
import { onnxForm } from './ops/op-definition.js';

// onnx-proto is CommonJS: its `onnx` namespace is reached through the default export in both builds.
const { onnx } = onnxProto;
type Onnx = typeof onnx;

/** ONNX TensorProto.DataType codes. */
const DATA_TYPE: Record<DType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};
/** The opset the graphs are written for. */
export const OPSET = 17;
/** The ONNX IR version the models declare. */
const IR_VERSION = 8;

type ValueInfo = NonNullable<Parameters<Onnx['ValueInfoProto']['create']>[0]>;
type Attribute = NonNullable<Parameters<Onnx['AttributeProto']['create']>[0]>;
type Node = NonNullable<Parameters<Onnx['NodeProto']['create']>[0]>;
type Tensor = NonNullable<Parameters<Onnx['TensorProto']['create']>[0]>;

function valueInfo(name: string, shape: Shape, dtype: DType, batchDim?: string): ValueInfo {
  const dim = shape.map((d, i) =>
    i === 0 && batchDim !== undefined ? { dimParam: batchDim } : { dimValue: d },
  );
  return { name, type: { tensorType: { elemType: DATA_TYPE[dtype], shape: { dim } } } };
}

/** Options of {@link toOnnxModel}. */
export interface OnnxModelOptions {
  /**
   * Writes the first dimension of every input and output as this symbolic dimension instead of
   * its size, so the model runs at any batch size. Only for graphs whose nodes do not fix that
   * size themselves (no `reshape`, `expand`, `slice` or constant spanning it): ONNX Runtime
   * rejects a batch the nodes cannot take.
   */
  batchDim?: string;
}

function attribute(name: string, value: AttributeValue): Attribute {
  const { AttributeType } = onnx.AttributeProto;
  if (Array.isArray(value)) return { name, ints: value, type: AttributeType.INTS };
  if (typeof value === 'number') return { name, i: value, type: AttributeType.INT };
  return { name, f: value.float, type: AttributeType.FLOAT };
}

function bytesOf(values: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** The nodes the outputs need, in build order; a node needs only the inputs its ONNX form reads. */
function liveNodes(graph: Graph): GraphNode[] {
  const needed = new Set(graph.outputs.map((o) => o.sym.id));
  const live: GraphNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o.id))) continue;
    live.push(node);
    for (const x of onnxForm(node).inputs) needed.add(x.id);
  }
  return live.reverse();
}

/**
 * Encodes a {@link Graph} as an ONNX model (IR 8, opset 17): the nodes the outputs need, in build
 * order, each in its definition's ONNX form (`OpDefinition.onnx`: an `Alias` is an `Identity`
 * of its value), the constants they read as initializers, inputs
 * and outputs with their static shapes (the first dimension symbolic with `options.batchDim`).
 * An output that is an input or a constant, or that is named twice, goes through an `Identity`
 * node.
 */
export function toOnnxModel(graph: Graph, options: OnnxModelOptions = {}): Uint8Array {
  const { batchDim } = options;
  if (graph.outputs.length === 0) throw new OnnxError('toOnnxModel: the graph has no outputs');
  const extra: { sym: Sym; output: string }[] = [];
  const produced = new Set<number>();
  const outputNames = new Map<number, string>();
  for (const { name: out, sym } of graph.outputs) {
    if (sym.kind !== 'value' || produced.has(sym.id)) extra.push({ sym, output: out });
    else outputNames.set(sym.id, out);
    produced.add(sym.id);
  }
  const renamed = (s: Sym) => outputNames.get(s.id) ?? s.name;
  const read = new Set(graph.outputs.map((o) => o.sym.id));
  const nodes: Node[] = liveNodes(graph).map((node, i) => {
    const { type, inputs } = onnxForm(node);
    for (const x of inputs) read.add(x.id);
    return {
      input: inputs.map(renamed),
      output: node.outputs.map(renamed),
      name: `n${i}`,
      opType: type,
      attribute: Object.entries(node.attrs).map(([k, v]) => attribute(k, v)),
    };
  });
  extra.forEach(({ sym, output }, i) => {
    nodes.push({ input: [renamed(sym)], output: [output], name: `id${i}`, opType: 'Identity' });
  });
  const initializer: Tensor[] = graph.constants
    .filter(({ sym }) => read.has(sym.id))
    .map(({ sym, values }) => ({
      dims: [...sym.shape],
      dataType: DATA_TYPE[sym.dtype],
      name: sym.name,
      rawData: bytesOf(values),
    }));
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'zs-sbir',
    graph: {
      node: nodes,
      name: 'zs-sbir',
      initializer,
      input: graph.inputs.map((s) => valueInfo(s.name, s.shape, s.dtype, batchDim)),
      output: graph.outputs.map(({ name, sym }) => valueInfo(name, sym.shape, sym.dtype, batchDim)),
    },
    opsetImport: [{ domain: '', version: OPSET }],
  });
  return onnx.ModelProto.encode(model).finish();
}
