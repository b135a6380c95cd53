import type { Graph, Sym } from './graph.js';
import { OnnxError } from './onnx-error.js';

/** The values a loss term reads, as graph values (the `LossContext` of `@zs-sbir/losses`). */
export interface GraphLossContext {
  embeddings: { sketch: Sym; image: Sym };
  /** One-hot labels `[batch, classes]`. */
  oneHot: Sym;
  prototypes: Sym;
  criticScores: Record<string, { fake: Sym; real?: Sym }>;
  reconstructions: { sketch: { output: Sym; target: Sym }; image: { output: Sym; target: Sym } };
  sideInfo: { input: Sym; reconstruction: Sym };
}

/** A term's result: its scalar and named parts. */
export interface GraphLossResult {
  loss: Sym;
  parts: Record<string, Sym>;
}

/** One term of a `weighted` loss as `lossFromConfig` resolved it. */
export interface LossTermSpec {
  name: string;
  id: string;
  weight: number;
  options: Record<string, unknown>;
}

/** The loss terms the onnx engine implements. */
export const ONNX_LOSSES = [
  'adversarial',
  'identity',
  'regression',
  'reconstruction',
  'side-info',
] as const;

/**
 * A loss term's graph form: the same equation as the `@zs-sbir/losses` term of the same id,
 * written with {@link Graph}'s operations on the step's values. `term.options` are the resolved
 * options of the TensorFlow.js term (its `Loss.options`).
 */
export type GraphLoss = (g: Graph, term: LossTermSpec, ctx: GraphLossContext) => GraphLossResult;

const registered = new Map<string, GraphLoss>();

/**
 * Gives the onnx engine the graph form of a loss registered with `@zs-sbir/losses`'
 * `registerLoss`, so configs that use it train on ONNX Runtime too. The two forms must compute the
 * same thing: compare them with `createOnnxTrainer(model).step` against `model.trainStep`.
 *
 * @throws OnnxError when `id` is built in or already registered.
 */
export function registerGraphLoss(id: string, loss: GraphLoss): void {
  if ((ONNX_LOSSES as readonly string[]).includes(id) || registered.has(id)) {
    throw new OnnxError(`registerGraphLoss: the onnx engine already has a loss '${id}'`);
  }
  registered.set(id, loss);
}

const MODALITIES = ['sketch', 'image'] as const;

const l2Normalize = (g: Graph, x: Sym) =>
  g.div(x, g.sqrt(g.add(g.reduceSum(g.square(x), [1], true), 1e-12)));

function elementwiseError(g: Graph, a: Sym, b: Sym, norm: unknown, reduction: unknown): Sym {
  const diff = g.sub(a, b);
  const e = norm === 'l1' ? g.abs(diff) : g.square(diff);
  return reduction === 'mean' ? g.mean(e) : g.mean(g.reduceSum(e, [-1]));
}

function sumParts(g: Graph, parts: Record<string, Sym>): GraphLossResult {
  const terms = Object.values(parts);
  return { loss: terms.slice(1).reduce((acc, t) => g.add(acc, t), terms[0]!), parts };
}

function perModality(g: Graph, term: (m: (typeof MODALITIES)[number]) => Sym): GraphLossResult {
  return sumParts(g, Object.fromEntries(MODALITIES.map((m) => [m, term(m)])));
}

function adversarialTerm(g: Graph, kind: unknown, f: Sym, r?: Sym): Sym {
  switch (kind) {
    case 'lsgan': {
      const fake = g.mul(0.5, g.mean(g.square(g.sub(f, 1))));
      return r ? g.add(fake, g.mul(0.5, g.mean(g.square(r)))) : fake;
    }
    case 'gan': {
      const fake = g.mean(g.softplus(g.neg(f)));
      return r ? g.add(fake, g.mean(g.softplus(r))) : fake;
    }
    default: {
      const fake = g.neg(g.mean(f));
      return r ? g.add(fake, g.mean(r)) : fake;
    }
  }
}

/**
 * One loss term on graph values, the same equations as `@zs-sbir/losses` (see each loss's TSDoc
 * there): adversarial, identity matching, semantic regression, reconstruction, side-info.
 *
 * @throws OnnxError for any other term.
 */
export function lossTermGraph(
  g: Graph,
  term: LossTermSpec,
  ctx: GraphLossContext,
): GraphLossResult {
  const o = term.options;
  switch (term.id) {
    case 'adversarial':
      return sumParts(
        g,
        Object.fromEntries(
          Object.entries(ctx.criticScores).map(([name, s]) => [
            name,
            adversarialTerm(g, o.kind, s.fake, s.real),
          ]),
        ),
      );
    case 'identity': {
      const p = l2Normalize(g, ctx.prototypes);
      return perModality(g, (m) => {
        const logits = g.div(
          g.matMul(l2Normalize(g, ctx.embeddings[m]), p, false, true),
          o.tau as number,
        );
        return g.neg(g.mean(g.reduceSum(g.mul(ctx.oneHot, g.logSoftmax(logits)), [1])));
      });
    }
    case 'regression': {
      const own = g.matMul(ctx.oneHot, ctx.prototypes);
      return perModality(g, (m) => elementwiseError(g, ctx.embeddings[m], own, 'l2', o.reduction));
    }
    case 'reconstruction':
      return perModality(g, (m) => {
        const r = ctx.reconstructions[m];
        return elementwiseError(g, r.output, r.target, o.norm, o.reduction);
      });
    case 'side-info':
      return {
        loss: elementwiseError(
          g,
          ctx.sideInfo.reconstruction,
          ctx.sideInfo.input,
          o.norm,
          o.reduction,
        ),
        parts: {},
      };
    default: {
      const custom = registered.get(term.id);
      if (custom) return custom(g, term, ctx);
      throw new OnnxError(
        `the onnx engine has no loss '${term.id}' (term '${term.name}'); it implements ${[...ONNX_LOSSES, ...registered.keys()].join(', ')} (registerGraphLoss adds one): use engine 'tfjs' for this config`,
      );
    }
  }
}

/** The weighted sum of the terms, with parts named as `weighted` names them (`name`, `name/part`). */
export function weightedLossGraph(
  g: Graph,
  terms: readonly LossTermSpec[],
  ctx: GraphLossContext,
): GraphLossResult {
  const parts: Record<string, Sym> = {};
  let total: Sym | undefined;
  for (const term of terms) {
    const r = lossTermGraph(g, term, ctx);
    parts[term.name] = r.loss;
    for (const [k, v] of Object.entries(r.parts)) parts[`${term.name}/${k}`] = v;
    const weightedTerm = term.weight === 1 ? r.loss : g.mul(term.weight, r.loss);
    total = total ? g.add(total, weightedTerm) : weightedTerm;
  }
  if (!total) throw new OnnxError('weightedLossGraph: no terms');
  return { loss: total, parts };
}
