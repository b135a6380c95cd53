import { OnnxError } from './onnx-error.js';
import {
  Abs,
  Add,
  Cast,
  Div,
  Equal,
  Exp,
  Greater,
  GreaterOrEqual,
  LeakyRelu,
  Log,
  Max,
  Mul,
  Neg,
  Relu,
  Sigmoid,
  Sign,
  Softplus,
  Sqrt,
  Sub,
  Where,
} from './ops/elementwise.js';
import type { OpDefinition } from './ops/op-definition.js';
import { Gemm, LogSoftmax, ReduceMax, ReduceMin, ReduceSum } from './ops/reduce.js';
import { Alias, Concat, Expand, Pad, Reshape, Slice } from './ops/shape.js';
import { broadcast, shapeText } from './ops/shape-rules.js';

/** Element types a {@link Sym} can hold. */
export type DType = 'float32' | 'int64' | 'bool';

/** A static tensor shape; `[]` is a scalar. */
export type Shape = readonly number[];

/** A symbolic tensor: the output of a node, a graph input or a constant. */
export interface Sym {
  readonly id: number;
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  /** The node that computes it; absent for inputs and constants. */
  readonly node?: GraphNode;
  /** `input` (fed at run time), `constant` (stored in the model) or `value` (computed). */
  readonly kind: 'input' | 'constant' | 'value';
}

/** Attribute values a node can carry. */
export type AttributeValue = number | { float: number } | number[];

/** One operator application. */
export interface GraphNode {
  /** The operation's name, `definition.type` (written as `definition.onnx` says when given). */
  readonly op: string;
  /** The operation it applies: its shape rule, ONNX form and gradient rule. */
  readonly definition: OpDefinition;
  readonly inputs: readonly Sym[];
  readonly outputs: readonly Sym[];
  readonly attrs: Readonly<Record<string, AttributeValue>>;
}

/** A constant's values. */
export interface ConstantData {
  readonly sym: Sym;
  readonly values: Float32Array | BigInt64Array | Uint8Array;
}

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);
/** `axis` of `x` counted from the front (a negative one counts from the end). */
const axisOf = (x: Sym, axis: number) => (axis < 0 ? axis + x.shape.length : axis);

/** The numpy broadcast of two shapes, or an error naming `op` and both shapes. */
export function broadcastShapes(a: Shape, b: Shape, op: string): Shape {
  try {
    return broadcast(a, b);
  } catch (err) {
    throw new OnnxError(`${op}: ${(err as Error).message}`);
  }
}

/** `Add of [3, 4] float32, [3] float32`: an operation and its inputs, for error messages. */
const describeInputs = (op: OpDefinition, inputs: readonly Sym[]) =>
  `${op.type} of ${inputs.map((x) => `${shapeText(x.shape)} ${x.dtype}`).join(', ') || 'nothing'}`;

/**
 * A computation graph with static shapes, built op by op, that `toOnnxModel` turns into an ONNX
 * model and `gradients` differentiates (reverse mode, to any order). Nodes are kept in the order
 * they were made, which is a topological order.
 *
 * Operations (float32 unless said): elementwise `add`, `sub`, `mul`, `div` (numpy broadcasting;
 * a number is a scalar constant), `neg`, `sqrt`, `square`, `exp`, `log`, `abs`, `sign`, `relu`,
 * `leakyRelu`, `softplus`, `sigmoid`, `positive` (bool), `where`; `matMul` (matrices, optional
 * transposes); `reduceSum`, `sum`, `mean`, `reduceMean`; `reshape`, `expand`; `logSoftmax` (last
 * axis); `alias`. Every one has a gradient rule but `sign` and `positive` (zero derivative).
 */
export class Graph {
  readonly nodes: GraphNode[] = [];
  readonly inputs: Sym[] = [];
  readonly constants: ConstantData[] = [];
  readonly outputs: { name: string; sym: Sym }[] = [];
  private nextId = 0;
  private scalars = new Map<number, Sym>();
  private names = new Set<string>();
  private constantById = new Map<number, ConstantData>();

  private sym(name: string, shape: Shape, dtype: DType, kind: Sym['kind'], node?: GraphNode): Sym {
    return { id: this.nextId++, name, shape: [...shape], dtype, kind, node };
  }

  /** A tensor fed at run time. */
  input(name: string, shape: Shape, dtype: DType = 'float32'): Sym {
    if (this.names.has(name)) throw new OnnxError(`graph: the name '${name}' is already used`);
    this.names.add(name);
    const s = this.sym(name, shape, dtype, 'input');
    this.inputs.push(s);
    return s;
  }

  /** A tensor stored in the model. */
  constant(values: Float32Array | BigInt64Array | Uint8Array, shape: Shape, dtype?: DType): Sym {
    const type: DType =
      dtype ??
      (values instanceof BigInt64Array
        ? 'int64'
        : values instanceof Uint8Array
          ? 'bool'
          : 'float32');
    if (values.length !== size(shape)) {
      throw new OnnxError(
        `graph: a constant of shape [${shape.join(', ')}] needs ${size(shape)} values, got ${values.length}`,
      );
    }
    const s = this.sym(`c${this.nextId}`, shape, type, 'constant');
    const data = { sym: s, values };
    this.constants.push(data);
    this.constantById.set(s.id, data);
    return s;
  }

  /** The values of a constant made by {@link constant}. */
  constantValues(sym: Sym): ConstantData['values'] {
    const c = this.constantById.get(sym.id);
    if (!c) throw new OnnxError(`graph: '${sym.name}' is not a constant`);
    return c.values;
  }

  /** A float32 scalar constant (one per value). */
  scalar(value: number): Sym {
    let s = this.scalars.get(value);
    if (!s) {
      s = this.constant(Float32Array.of(value), []);
      this.scalars.set(value, s);
    }
    return s;
  }

  /** An int64 vector constant (shapes, axes). */
  ints(values: readonly number[]): Sym {
    return this.constant(BigInt64Array.from(values.map(BigInt)), [values.length], 'int64');
  }

  /**
   * Adds a node applying `op` to `inputs` with `attrs`; its output's type and shape come from the
   * definition (`op.dtype`, `op.shape`).
   *
   * @throws OnnxError naming the operation and its inputs' shapes when the inputs (their number,
   *   types or shapes) or the attributes do not fit the definition.
   */
  node(op: OpDefinition, inputs: readonly Sym[], attrs: Record<string, AttributeValue> = {}): Sym {
    const fail = (reason: string) =>
      new OnnxError(`${op.type}: ${reason} (${describeInputs(op, inputs)})`);
    const arity = op.arity === 'variadic' ? inputs.length || -1 : op.arity;
    if (inputs.length !== arity) {
      throw fail(
        `takes ${op.arity === 'variadic' ? 'one or more' : op.arity} inputs, got ${inputs.length}`,
      );
    }
    const given = Object.keys(attrs).sort().join(', ');
    const wanted = [...op.attributes].sort().join(', ');
    if (given !== wanted) throw fail(`takes the attributes {${wanted}}, got {${given}}`);
    const types = op.inputTypes ?? [];
    inputs.forEach((x, k) => {
      const want = types[k] ?? 'float32';
      if (x.dtype !== want) throw fail(`input ${k} must be ${want}, got ${x.dtype}`);
    });
    let shape: Shape;
    try {
      shape = op.shape(inputs, attrs, this);
    } catch (err) {
      throw new OnnxError(`${op.type}: ${(err as Error).message}`, { cause: err });
    }
    const outputs: Sym[] = [];
    const node: GraphNode = { op: op.type, definition: op, inputs: [...inputs], outputs, attrs };
    outputs.push(this.sym(`v${this.nextId}`, shape, op.dtype ?? 'float32', 'value', node));
    this.nodes.push(node);
    return outputs[0]!;
  }

  /** Names a value as a graph output. */
  output(name: string, sym: Sym): void {
    if (this.names.has(name)) throw new OnnxError(`graph: the name '${name}' is already used`);
    this.names.add(name);
    this.outputs.push({ name, sym });
  }

  private operand(x: Sym | number): Sym {
    return typeof x === 'number' ? this.scalar(x) : x;
  }

  add(a: Sym | number, b: Sym | number): Sym {
    return this.node(Add, [this.operand(a), this.operand(b)]);
  }
  sub(a: Sym | number, b: Sym | number): Sym {
    return this.node(Sub, [this.operand(a), this.operand(b)]);
  }
  mul(a: Sym | number, b: Sym | number): Sym {
    return this.node(Mul, [this.operand(a), this.operand(b)]);
  }
  div(a: Sym | number, b: Sym | number): Sym {
    return this.node(Div, [this.operand(a), this.operand(b)]);
  }
  neg(x: Sym): Sym {
    return this.node(Neg, [x]);
  }
  sqrt(x: Sym): Sym {
    return this.node(Sqrt, [x]);
  }
  square(x: Sym): Sym {
    return this.mul(x, x);
  }
  exp(x: Sym): Sym {
    return this.node(Exp, [x]);
  }
  log(x: Sym): Sym {
    return this.node(Log, [x]);
  }
  abs(x: Sym): Sym {
    return this.node(Abs, [x]);
  }
  sign(x: Sym): Sym {
    return this.node(Sign, [x]);
  }
  relu(x: Sym): Sym {
    return this.node(Relu, [x]);
  }
  leakyRelu(x: Sym, alpha: number): Sym {
    return this.node(LeakyRelu, [x], { alpha: { float: alpha } });
  }
  softplus(x: Sym): Sym {
    return this.node(Softplus, [x]);
  }
  sigmoid(x: Sym): Sym {
    return this.node(Sigmoid, [x]);
  }
  /** `a >= b` as a boolean tensor (no gradient). */
  greaterOrEqual(a: Sym, b: Sym | number): Sym {
    return this.node(GreaterOrEqual, [a, this.operand(b)]);
  }
  /** `a == b` as a boolean tensor (no gradient). */
  equal(a: Sym, b: Sym): Sym {
    return this.node(Equal, [a, b]);
  }
  /** A boolean tensor as float32 0 and 1 (no gradient). */
  toFloat(x: Sym): Sym {
    return this.node(Cast, [x], { to: 1 });
  }
  /** Elementwise maximum, broadcasting. */
  maximum(a: Sym, b: Sym | number): Sym {
    return this.node(Max, [a, this.operand(b)]);
  }
  /** Maximum over one axis (the gradient goes to every element equal to it). */
  reduceMax(x: Sym, axis: number, keepDims = false): Sym {
    return this.node(ReduceMax, [x], { axes: [axisOf(x, axis)], keepdims: keepDims ? 1 : 0 });
  }
  /** Minimum over one axis (the gradient goes to every element equal to it). */
  reduceMin(x: Sym, axis: number, keepDims = false): Sym {
    return this.node(ReduceMin, [x], { axes: [axisOf(x, axis)], keepdims: keepDims ? 1 : 0 });
  }
  /** Joins tensors along `axis`. */
  concat(xs: readonly Sym[], axis: number): Sym {
    return this.node(Concat, xs, { axis: xs[0] ? axisOf(xs[0], axis) : axis });
  }
  /** Elements `start` to `end` (exclusive) along `axis`. */
  slice(x: Sym, axis: number, start: number, end: number): Sym {
    const a = axisOf(x, axis);
    return this.node(Slice, [x, this.ints([start]), this.ints([end]), this.ints([a])]);
  }
  /** `x` padded with zeros: `before[i]` and `after[i]` elements on each side of axis `i`. */
  pad(x: Sym, before: readonly number[], after: readonly number[]): Sym {
    return this.node(Pad, [x, this.ints([...before, ...after])]);
  }
  /** `x > 0` as a boolean tensor (no gradient). */
  positive(x: Sym): Sym {
    return this.node(Greater, [x, this.scalar(0)]);
  }
  /** `condition ? a : b`, broadcasting. */
  where(condition: Sym, a: Sym | number, b: Sym | number): Sym {
    return this.node(Where, [condition, this.operand(a), this.operand(b)]);
  }

  /** `op(a) op(b)` for matrices, `op` transposing when asked (ONNX Gemm). */
  matMul(a: Sym, b: Sym, transA = false, transB = false): Sym {
    return this.node(Gemm, [a, b], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
  }

  /** Sum over `axes` (negative counts from the end); `keepDims` keeps them as size 1. */
  reduceSum(x: Sym, axes: readonly number[], keepDims = false): Sym {
    const norm = [...new Set(axes.map((a) => axisOf(x, a)))].sort((p, q) => p - q);
    return this.node(ReduceSum, [x, this.ints(norm)], { keepdims: keepDims ? 1 : 0 });
  }
  /** Sum of every element, as a scalar. */
  sum(x: Sym): Sym {
    return this.reduceSum(
      x,
      x.shape.map((_, i) => i),
    );
  }
  /** Mean of every element, as a scalar. */
  mean(x: Sym): Sym {
    return this.mul(this.sum(x), 1 / size(x.shape));
  }
  /** Mean over `axes`. */
  reduceMean(x: Sym, axes: readonly number[], keepDims = false): Sym {
    const count = axes.reduce((n, a) => n * x.shape[axisOf(x, a)]!, 1);
    return this.mul(this.reduceSum(x, axes, keepDims), 1 / count);
  }
  reshape(x: Sym, shape: Shape): Sym {
    return this.node(Reshape, [x, this.ints(shape)]);
  }
  /** Broadcasts `x` to `shape`. */
  expand(x: Sym, shape: Shape): Sym {
    return this.node(Expand, [x, this.ints(shape)]);
  }
  /** `log(softmax(x))` over the last axis. */
  logSoftmax(x: Sym): Sym {
    return this.node(LogSoftmax, [x], { axis: -1 });
  }
  /**
   * `value`, differentiated as `definition`: for a value computed elsewhere (another graph, an
   * earlier run) that equals `definition`. The model reads `value`; `definition`'s nodes are
   * kept only for the gradients, and dropped from the model when nothing else needs them.
   */
  alias(value: Sym, definition: Sym): Sym {
    return this.node(Alias, [value, definition]);
  }
}
