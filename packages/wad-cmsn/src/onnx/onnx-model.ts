import type { AttributeValue, DType, Graph, GraphNode, Shape, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';
import { ProtoWriter } from './protobuf.js';

/** ONNX TensorProto.DataType codes. */
const DATA_TYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9 };
/** The opset the graphs are written for. */
export const OPSET = 17;

function valueInfo(name: string, shape: Shape, dtype: DType): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) dims.message(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, DATA_TYPE[dtype]).message(2, dims);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

function attribute(name: string, value: AttributeValue): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (Array.isArray(value)) {
    for (const v of value) a.int(8, v);
    return a.int(20, 7);
  }
  if (typeof value === 'number') return a.int(3, value).int(20, 2);
  return a.float(2, value.float).int(20, 1);
}

function bytesOf(values: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** The nodes the outputs need, in build order; an `Alias` reads only its value. */
function liveNodes(graph: Graph): GraphNode[] {
  const needed = new Set(graph.outputs.map((o) => o.sym.id));
  const live: GraphNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o.id))) continue;
    live.push(node);
    const read = node.op === 'Alias' ? node.inputs.slice(0, 1) : node.inputs;
    for (const x of read) needed.add(x.id);
  }
  return live.reverse();
}

/**
 * Encodes a {@link Graph} as an ONNX model (IR 8, opset 17): the nodes the outputs need, in build
 * order (an `Alias` as `Identity` of its value), the constants they read as initializers, inputs
 * and outputs with their static shapes. An output that is an input or a constant, or that is
 * named twice, goes through an `Identity` node.
 */
export function toOnnxModel(graph: Graph): Uint8Array {
  const g = new ProtoWriter();
  const extra: { sym: Sym; output: string }[] = [];
  const produced = new Set<number>();
  const outputNames = new Map<number, string>();
  for (const { name: out, sym } of graph.outputs) {
    if (sym.kind !== 'value' || produced.has(sym.id)) extra.push({ sym, output: out });
    else outputNames.set(sym.id, out);
    produced.add(sym.id);
  }
  const renamed = (s: Sym) => outputNames.get(s.id) ?? s.name;
  const nodes = liveNodes(graph);
  const read = new Set(graph.outputs.map((o) => o.sym.id));
  nodes.forEach((node, i) => {
    const alias = node.op === 'Alias';
    const inputs = alias ? node.inputs.slice(0, 1) : node.inputs;
    const n = new ProtoWriter();
    for (const x of inputs) {
      n.string(1, renamed(x));
      read.add(x.id);
    }
    for (const y of node.outputs) n.string(2, renamed(y));
    n.string(3, `n${i}`).string(4, alias ? 'Identity' : node.op);
    for (const [k, v] of Object.entries(node.attrs)) n.message(5, attribute(k, v));
    g.message(1, n);
  });
  extra.forEach(({ sym, output }, i) => {
    const identity = new ProtoWriter().string(1, renamed(sym)).string(2, output);
    g.message(1, identity.string(3, `id${i}`).string(4, 'Identity'));
  });
  g.string(2, 'zs-sbir');
  for (const { sym, values } of graph.constants) {
    if (!read.has(sym.id)) continue;
    const t = new ProtoWriter();
    for (const d of sym.shape) t.int(1, d);
    t.int(2, DATA_TYPE[sym.dtype]).string(8, sym.name).bytes(9, bytesOf(values));
    g.message(5, t);
  }
  for (const s of graph.inputs) g.message(11, valueInfo(s.name, s.shape, s.dtype));
  if (graph.outputs.length === 0) throw new OnnxError('toOnnxModel: the graph has no outputs');
  for (const { name: out, sym } of graph.outputs)
    g.message(12, valueInfo(out, sym.shape, sym.dtype));
  return new ProtoWriter()
    .int(1, 8)
    .string(2, 'zs-sbir')
    .message(7, g)
    .message(8, new ProtoWriter().string(1, '').int(2, OPSET))
    .finish();
}
