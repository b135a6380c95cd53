import type { tf } from '@zs-sbir/core';
import { type CriticName, criticLossOf } from '@zs-sbir/critic';
import { Graph, gradients, graphOps, OnnxError, type Sym } from '@zs-sbir/graph';
import type { LossContext } from '@zs-sbir/losses';
import { mlpForward } from '@zs-sbir/semantic';
import { dropsOut } from '../step-draws.js';
import {
  BRANCHES,
  type BranchMasks,
  type ModuleLayout,
  mainObjective,
  mainWeights,
  mapNetworks,
  projectForCritics,
  type StepBatch,
  type StepModel,
  standardise,
} from '../training-step.js';

/** Everything the step graphs are built from: the step's model and the batch size. */
export type StepSpec = StepModel & { rows: number };

/** Declares an MLP's weights as graph inputs `${prefix}/0, ${prefix}/1, ...` (`W_i` `[in, out]`, `b_i`). */
function mlpWeights(g: Graph, layout: ModuleLayout, prefix: string): Sym[] {
  const dims = [layout.inputDim, ...layout.hiddenDims, layout.outputDim];
  const out: Sym[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    out.push(g.input(`${prefix}/${2 * i}`, [dims[i]!, dims[i + 1]!]));
    out.push(g.input(`${prefix}/${2 * i + 1}`, [dims[i + 1]!]));
  }
  return out;
}

/**
 * The weights as graph inputs: the main networks' `main/<network>/<i>`, the critics'
 * `critic/<name>/<i>`, the loss's own `main/loss/<i>`; `all` lists the main ones in
 * `WadCmsn.mainVariables` order.
 */
function stepWeights(g: Graph, model: StepModel) {
  const weights = mapNetworks(model.layouts, (layout, name) =>
    mlpWeights(g, layout, name.startsWith('critic/') ? name : `main/${name}`),
  );
  const lossVariables = new Map<tf.Variable, Sym>(
    model.loss.trainableVariables.map((v, i) => [v, g.input(`main/loss/${i}`, v.shape)]),
  );
  return { weights, lossVariables, all: [...mainWeights(weights), ...lossVariables.values()] };
}

/** The names of the main graphs' weight inputs, in `WadCmsn.mainVariables` order. */
export const mainWeightNames = (model: StepModel): string[] =>
  stepWeights(new Graph(), model).all.map((s) => s.name);

/** The graph input of dropout mask `layer` of a branch's projector or decoder. */
export const maskName = (module: 'projector' | 'decoder', branch: string, layer: number) =>
  `mask/${module}/${branch}/${layer}`;

/** The batch as graph inputs `x/<branch>` (raw; standardised here) and `labels`. */
function batchInputs(g: Graph, spec: StepSpec): StepBatch<Sym> {
  const { rows, layouts } = spec;
  const visualDim = layouts.projectors.sketch.inputDim;
  const x = {} as StepBatch<Sym>['x'];
  for (const b of BRANCHES) {
    const { mean, std } = spec.stats[b];
    const stat = (v: Float32Array) => g.constant(Float32Array.from(v), [visualDim]);
    x[b] = standardise(
      graphOps(g),
      g.input(`x/${b}`, [rows, visualDim]),
      { mean: stat(mean), std: stat(std) },
      spec.unitRows,
    );
  }
  const sideInfo = g.constant(spec.sideInfo, [spec.classes, layouts.encoder.inputDim]);
  return { x, labels: g.input('labels', [rows]), sideInfo };
}

/** The dropout masks of the projectors or decoders as graph inputs (see {@link maskName}). */
function maskInputs(g: Graph, spec: StepSpec, module: 'projector' | 'decoder'): BranchMasks<Sym> {
  const out = {} as BranchMasks<Sym>;
  for (const b of BRANCHES) {
    const layout = spec.layouts[`${module}s`][b];
    out[b] = dropsOut(layout)
      ? layout.hiddenDims.map((w, i) => g.input(maskName(module, b, i), [spec.rows, w]))
      : undefined;
  }
  return out;
}

/**
 * The critic phase's inputs (`projectForCritics`): outputs `z/sketch`, `z/image`, `prototypes`,
 * and each projector's first-layer pre-activation `pre/<branch>`, which the projector update's
 * graph reads instead of computing it again (dropout comes after the activation, and the weights
 * have not changed in between).
 */
export function projectGraph(spec: StepSpec): Graph {
  const g = new Graph();
  const { weights } = stepWeights(g, spec);
  const masks = maskInputs(g, spec, 'projector');
  const p = projectForCritics(graphOps(g), spec, weights, batchInputs(g, spec), masks);
  for (const b of BRANCHES) {
    g.output(`pre/${b}`, p.firstLayer[b]);
    g.output(`z/${b}`, p.z[b]);
  }
  g.output('prototypes', p.prototypes);
  return pruneInputs(g);
}

/**
 * One critic update (`criticLossOf`): inputs `critic/<i>` (its weights), `real`, `fake`,
 * `epsilon` `[rows, 1]` (with a penalty); outputs `loss`, `adversarial`, `penalty`,
 * `wasserstein` and `grad/<i>`.
 */
export function criticGraph(spec: StepSpec, name: CriticName): Graph {
  const g = new Graph();
  const ops = graphOps(g);
  const layout = spec.layouts.critics[name]!;
  const critic = spec.critics[name]!;
  const d = layout.inputDim;
  const weights = mlpWeights(g, layout, 'critic');
  const out = criticLossOf(
    ops,
    critic,
    (x) => mlpForward(ops, layout, weights, x),
    g.input('real', [spec.rows, d]),
    g.input('fake', [spec.rows, d]),
    critic.lambda > 0 ? g.input('epsilon', [spec.rows, 1]) : undefined,
  );
  for (const [key, sym] of Object.entries(out)) g.output(key, sym);
  gradients(g, out.loss, weights).forEach((s, i) => {
    g.output(`grad/${i}`, s);
  });
  return g;
}

/**
 * The projector update (`mainObjective`): the loss, its parts (`part/<name>`) and the gradient of
 * every main variable (`grad/<input name>`), given the critics' current weights. With
 * `sharedFirstLayer`, the projectors' first-layer pre-activations are inputs `pre/<branch>`
 * ({@link projectGraph}'s outputs of this step) instead of being computed again.
 */
export function mainGraph(spec: StepSpec, { sharedFirstLayer = false } = {}): Graph {
  const g = new Graph();
  const { weights, lossVariables, all } = stepWeights(g, spec);
  const masks = {
    projector: maskInputs(g, spec, 'projector'),
    decoder: maskInputs(g, spec, 'decoder'),
  };
  const { loss, parts } = mainObjective(
    graphOps(g, lossVariables),
    spec,
    weights,
    batchInputs(g, spec),
    {
      masks,
      loss: (ops, ctx: LossContext<Sym>) => {
        try {
          return spec.loss.compute(ops, ctx);
        } catch (err) {
          throw new OnnxError(
            `the onnx engine cannot build the projector loss: ${(err as Error).message}`,
            { cause: err },
          );
        }
      },
      ...(sharedFirstLayer
        ? { firstLayer: (b, computed) => g.alias(g.input(`pre/${b}`, computed.shape), computed) }
        : {}),
    },
  );
  g.output('loss', loss);
  for (const [name, sym] of Object.entries(parts)) g.output(`part/${name}`, sym);
  gradients(g, loss, all).forEach((grad, i) => {
    g.output(`grad/${all[i]!.name}`, grad);
  });
  return pruneInputs(g);
}

/** Drops graph inputs that no node reads (ONNX Runtime would still demand them). */
function pruneInputs(g: Graph): Graph {
  const used = new Set<number>();
  for (const n of g.nodes) for (const x of n.inputs) used.add(x.id);
  for (const o of g.outputs) used.add(o.sym.id);
  const kept = g.inputs.filter((s) => used.has(s.id));
  g.inputs.splice(0, g.inputs.length, ...kept);
  return g;
}
