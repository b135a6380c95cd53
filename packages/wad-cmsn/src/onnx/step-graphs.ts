import type { Ops, tf } from '@zs-sbir/core';
import {
  criticObjective,
  type DiscriminatorKind,
  penaltyOf,
  projectorCriticScores,
} from '@zs-sbir/critic';
import { Graph, gradients, graphOps, OnnxError, type Sym } from '@zs-sbir/graph';
import type { Loss, LossContext } from '@zs-sbir/losses';
import { applyMlp, firstLayerOf, type MlpLayout, mlpMasks, mlpWeights } from './mlp-graph.js';

/** The two branches. */
export const BRANCHES = ['sketch', 'image'] as const;
type Branch = (typeof BRANCHES)[number];

/** A critic as the onnx engine trains it. */
export interface CriticSpec {
  layout: MlpLayout;
  kind: DiscriminatorKind;
  lambda: number;
  clip: number;
}

/** Everything the step graphs are built from (read off a `WadCmsn` by `stepSpec`). */
export interface StepSpec {
  rows: number;
  classes: number;
  visualDim: number;
  sideInfoDim: number;
  stats: Record<Branch, { mean: Float32Array; std: Float32Array }>;
  /** Seen-class side information `[classes, D_s]`. */
  sideInfo: Float32Array;
  projectors: Record<Branch, MlpLayout>;
  decoders: Record<Branch, MlpLayout>;
  encoder: MlpLayout;
  sideDecoder: MlpLayout;
  placement: 'semantic' | 'cross-modal' | 'none';
  critics: Record<string, CriticSpec>;
  /** The projector-side loss (its `compute` builds the graph); its variables train with the rest. */
  loss: Pick<Loss, 'compute' | 'trainableVariables'>;
}

/**
 * The main variables as graph inputs `main/<module>/<i>`: the projectors, decoders and
 * side-information autoencoder's weights, and `all` of them in `WadCmsn.mainVariables` order.
 */
function mainWeights(g: Graph, spec: Omit<StepSpec, 'rows'>) {
  const projectors = {
    sketch: mlpWeights(g, spec.projectors.sketch, 'main/projector/sketch'),
    image: mlpWeights(g, spec.projectors.image, 'main/projector/image'),
  };
  const decoders = {
    sketch: mlpWeights(g, spec.decoders.sketch, 'main/decoder/sketch'),
    image: mlpWeights(g, spec.decoders.image, 'main/decoder/image'),
  };
  const encoder = mlpWeights(g, spec.encoder, 'main/side-info/encoder');
  const sideDecoder = mlpWeights(g, spec.sideDecoder, 'main/side-info/decoder');
  const lossVariables = new Map<tf.Variable, Sym>(
    spec.loss.trainableVariables.map((v, i) => [v, g.input(`main/loss/${i}`, v.shape)]),
  );
  const all = [
    ...projectors.sketch,
    ...projectors.image,
    ...decoders.sketch,
    ...decoders.image,
    ...encoder,
    ...sideDecoder,
    ...lossVariables.values(),
  ];
  return { projectors, decoders, encoder, sideDecoder, lossVariables, all };
}

/** The names of the main graphs' weight inputs, in `WadCmsn.mainVariables` order. */
export const mainWeightNames = (spec: Omit<StepSpec, 'rows'>): string[] =>
  mainWeights(new Graph(), spec).all.map((s) => s.name);

/** `(x - mean) / std` with the model's training statistics, as the TF.js step does. */
function standardised(g: Graph, spec: StepSpec, branch: Branch): Sym {
  const x = g.input(`x/${branch}`, [spec.rows, spec.visualDim]);
  const { mean, std } = spec.stats[branch];
  return g.div(g.sub(x, g.constant(mean, [spec.visualDim])), g.constant(std, [spec.visualDim]));
}

/**
 * The critic phase's inputs: both branches projected in training mode (dropout masks
 * `mask/projector/<branch>/<layer>`) and each sample's class prototype.
 * Outputs `z/sketch`, `z/image`, `prototypes`, and each projector's first-layer pre-activation
 * `pre/<branch>`: the projector update's forward pass reads it instead of computing it again
 * (dropout comes after the activation, and the weights have not changed in between).
 */
export function projectGraph(spec: StepSpec): Graph {
  const g = new Graph();
  const w = mainWeights(g, spec);
  const oneHot = g.input('one-hot', [spec.rows, spec.classes]);
  for (const b of BRANCHES) {
    const masks = mlpMasks(g, spec.projectors[b], spec.rows, `mask/projector/${b}`);
    const firstLayer = firstLayerOf(g, w.projectors[b], standardised(g, spec, b));
    g.output(`pre/${b}`, firstLayer);
    g.output(
      `z/${b}`,
      applyMlp(g, spec.projectors[b], w.projectors[b], firstLayer, { masks, firstLayer }),
    );
  }
  const s = g.constant(spec.sideInfo, [spec.classes, spec.sideInfoDim]);
  g.output('prototypes', g.matMul(oneHot, applyMlp(g, spec.encoder, w.encoder, s)));
  return pruneInputs(g);
}

/** `C(x)` for a critic whose weights are `weights`. */
const criticOf = (g: Graph, c: CriticSpec, weights: readonly Sym[]) => (x: Sym) =>
  applyMlp(g, c.layout, weights, x);

/**
 * One critic update's loss and gradients (the `Discriminator.loss` of `@zs-sbir/critic`): inputs
 * `critic/<i>` (its weights), `real`, `fake`, `epsilon` `[rows, 1]` (the penalty's interpolation
 * weights); outputs `loss`, `adversarial`, `penalty`, `wasserstein` and `grad/<i>`.
 */
export function criticGraph(spec: StepSpec, critic: CriticSpec): Graph {
  const g = new Graph();
  const d = critic.layout.inputDim;
  const weights = mlpWeights(g, critic.layout, 'critic');
  const real = g.input('real', [spec.rows, d]);
  const fake = g.input('fake', [spec.rows, d]);
  const c = criticOf(g, critic, weights);
  const r = c(real);
  const f = c(fake);
  const ops = graphOps(g);
  const adversarial = criticObjective(ops, critic.kind, r, f);
  const penalty =
    critic.lambda > 0
      ? penaltyOf(
          ops,
          c,
          real,
          fake,
          g.input('epsilon', [spec.rows, 1]),
          critic.lambda,
          critic.kind === 'wgan-lp',
        )
      : g.scalar(0);
  const loss = g.add(adversarial, penalty);
  g.output('loss', loss);
  g.output('adversarial', adversarial);
  g.output('penalty', penalty);
  g.output('wasserstein', g.sub(g.mean(r), g.mean(f)));
  gradients(g, loss, weights).forEach((s, i) => {
    g.output(`grad/${i}`, s);
  });
  return g;
}

/**
 * The projector update's loss, its parts (`part/<name>`) and the gradient of every main
 * variable (`grad/<input name>`), given the critics' current weights (`critic/<name>/<i>`).
 * With `sharedFirstLayer`, the projectors' first-layer pre-activations are inputs `pre/<branch>`
 * ({@link projectGraph}'s outputs of this step) instead of being computed again.
 */
export function mainGraph(spec: StepSpec, { sharedFirstLayer = false } = {}): Graph {
  const g = new Graph();
  const w = mainWeights(g, spec);
  const x = { sketch: standardised(g, spec, 'sketch'), image: standardised(g, spec, 'image') };
  const z = {} as Record<Branch, Sym>;
  for (const b of BRANCHES) {
    const masks = mlpMasks(g, spec.projectors[b], spec.rows, `mask/projector/${b}`);
    const computed = firstLayerOf(g, w.projectors[b], x[b]);
    const firstLayer = sharedFirstLayer
      ? g.alias(g.input(`pre/${b}`, computed.shape), computed)
      : computed;
    z[b] = applyMlp(g, spec.projectors[b], w.projectors[b], x[b], { masks, firstLayer });
  }
  const criticScores: Record<string, { fake: Sym; real?: Sym }> =
    spec.placement === 'none'
      ? {}
      : projectorCriticScores(spec.placement, z, (name) => {
          const critic = spec.critics[name]!;
          return criticOf(g, critic, mlpWeights(g, critic.layout, `critic/${name}`));
        });
  const s = g.constant(spec.sideInfo, [spec.classes, spec.sideInfoDim]);
  const prototypes = applyMlp(g, spec.encoder, w.encoder, s);
  const reconstruct = (b: Branch) => {
    const masks = mlpMasks(g, spec.decoders[b], spec.rows, `mask/decoder/${b}`);
    return { output: applyMlp(g, spec.decoders[b], w.decoders[b], z[b], { masks }), target: x[b] };
  };
  const { loss, parts } = lossGraph(spec, graphOps(g, w.lossVariables), {
    embeddings: z,
    labels: g.input('labels', [spec.rows]),
    prototypes,
    criticScores,
    reconstructions: { sketch: reconstruct('sketch'), image: reconstruct('image') },
    sideInfo: {
      input: s,
      reconstruction: applyMlp(g, spec.sideDecoder, w.sideDecoder, prototypes),
    },
  });
  g.output('loss', loss);
  for (const [name, sym] of Object.entries(parts)) g.output(`part/${name}`, sym);
  gradients(g, loss, w.all).forEach((grad, i) => {
    g.output(`grad/${w.all[i]!.name}`, grad);
  });
  return pruneInputs(g);
}

/** The loss's graph, or an `OnnxError` saying which part cannot be built and why. */
function lossGraph(spec: StepSpec, ops: Ops<Sym>, ctx: LossContext<Sym>) {
  try {
    return spec.loss.compute(ops, ctx);
  } catch (err) {
    throw new OnnxError(
      `the onnx engine cannot build the projector loss: ${(err as Error).message}`,
      { cause: err },
    );
  }
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
