import { type Rng, tf } from '@zs-sbir/core';
import { type CriticName, criticPairs } from '@zs-sbir/critic';
import {
  type CompileOptions,
  compileGraph,
  importOnnxRuntime,
  OnnxError,
  type OnnxProgram,
} from '@zs-sbir/graph';
import { drawStep } from '../step-draws.js';
import { BRANCHES, type BranchMasks, checkBatch, checkLoss, stepModel } from '../training-step.js';
import type { StepResult, TrainBatch, WadCmsn } from '../wad-cmsn.js';
import {
  type AdamArena,
  type AdamCount,
  type AdamSettings,
  type AdamSlot,
  createAdamArena,
  slotFloats,
} from './adam.js';
import { criticGraph, mainGraph, mainWeightNames, maskName, projectGraph } from './step-graphs.js';

/** Options of {@link createOnnxTrainer}. */
export interface OnnxTrainerOptions extends CompileOptions {}

/**
 * WAD-CMSN's training step on ONNX Runtime (see {@link createOnnxTrainer}). It owns copies of
 * the weights and optimiser state while it trains; {@link OnnxTrainer.sync} writes them back.
 */
export interface OnnxTrainer {
  readonly engine: 'onnx';
  /** `model.trainStep`'s work and result: same draws from `rng`, same equations. */
  step(batch: TrainBatch, rng: Rng): Promise<StepResult>;
  /** Writes the weights and the optimisers' state into the model's TF.js variables and optimisers. */
  sync(): Promise<void>;
  /** Frees the ONNX Runtime sessions (the model is untouched). */
  dispose(): Promise<void>;
}

/** Feeds a module's dropout masks of this step to the graph inputs `maskName(...)`. */
function feedMasks(
  feeds: Record<string, Float32Array>,
  module: 'projector' | 'decoder',
  masks: BranchMasks<Float32Array>,
) {
  for (const b of BRANCHES) {
    masks[b]?.forEach((m, i) => {
      feeds[maskName(module, b, i)] = m;
    });
  }
}

interface Trained {
  variables: tf.Variable[];
  optimizer: tf.Optimizer;
  slots: AdamSlot[];
  count: AdamCount;
  settings: AdamSettings;
}

function adamSettings(optimizer: tf.Optimizer, what: string): AdamSettings {
  if (optimizer.getClassName() !== 'Adam') {
    throw new OnnxError(
      `the onnx engine trains with Adam; the ${what} optimiser is ${optimizer.getClassName()}`,
    );
  }
  const config = optimizer.getConfig() as Partial<AdamSettings>;
  return {
    learningRate: config.learningRate!,
    beta1: config.beta1!,
    beta2: config.beta2!,
    epsilon: config.epsilon ?? tf.backend().epsilon(),
  };
}

/** `AdamOptimizer`'s bias-correction powers `beta^(iterations + 1)` (private in its typings). */
function accBetas(
  optimizer: tf.Optimizer,
  what: string,
): { accBeta1: tf.Variable; accBeta2: tf.Variable } {
  const o = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  if (!(o.accBeta1 instanceof tf.Variable) || !(o.accBeta2 instanceof tf.Variable)) {
    throw new OnnxError(
      `the ${what} optimiser has no accBeta1/accBeta2 variables; the onnx engine expects TF.js 4's AdamOptimizer`,
    );
  }
  return { accBeta1: o.accBeta1, accBeta2: o.accBeta2 };
}

/** Copies variables and their Adam state from TF.js into arena slots. */
async function readTrained(
  arena: AdamArena,
  variables: tf.Variable[],
  optimizer: tf.Optimizer,
  what: string,
): Promise<Trained> {
  const settings = adamSettings(optimizer, what);
  const slots = variables.map((v) => {
    const slot = arena.slot(v.size);
    slot.w.set(v.dataSync());
    return slot;
  });
  const weights = await optimizer.getWeights();
  const iterations = (await weights[0]!.tensor.data())[0]!;
  weights[0]!.tensor.dispose();
  const moments = weights.slice(1);
  if (moments.length > 0) {
    if (moments.length !== 2 * variables.length) {
      throw new OnnxError(
        `the ${what} optimiser holds state for ${moments.length / 2} variables, expected ${variables.length}`,
      );
    }
    moments.forEach((w, i) => {
      const target = i < variables.length ? slots[i]!.m : slots[i - variables.length]!.v;
      target.set(w.tensor.dataSync());
    });
  }
  const acc = accBetas(optimizer, what);
  const count = {
    iterations,
    accBeta1: acc.accBeta1.dataSync()[0]!,
    accBeta2: acc.accBeta2.dataSync()[0]!,
  };
  return { variables, optimizer, slots, count, settings };
}

/** Writes arena slots back into the TF.js variables and their optimiser. */
async function writeTrained(t: Trained): Promise<void> {
  t.variables.forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(t.slots[i]!.w, v.shape)));
  });
  const old = await t.optimizer.getWeights();
  const moment = (key: 'm' | 'v') =>
    t.slots.map((s, i) => ({
      name: `${t.variables[i]!.name}/${key}`,
      tensor: tf.tensor(s[key], t.variables[i]!.shape),
    }));
  const named = [
    { name: 'iter', tensor: tf.scalar(t.count.iterations, 'int32') },
    ...moment('m'),
    ...moment('v'),
  ];
  await t.optimizer.setWeights(named);
  tf.dispose([...old, ...named].map((w) => w.tensor));
  // setWeights recomputes the powers with pow(); keep the running products Adam continues with.
  const acc = accBetas(t.optimizer, 'trained');
  tf.tidy(() => {
    acc.accBeta1.assign(tf.scalar(t.count.accBeta1));
    acc.accBeta2.assign(tf.scalar(t.count.accBeta2));
  });
}

interface Programs {
  project?: OnnxProgram;
  critic?: OnnxProgram;
  main: OnnxProgram;
}

/**
 * Builds an ONNX Runtime engine for `model.trainStep`: the critic phase's projection, one critic
 * update and the projector update are each compiled once per batch size into an ONNX graph
 * (forward pass, gradients by reverse-mode differentiation of the graph, the gradient penalty's
 * double backprop included), run on ONNX Runtime's CPU kernels, and followed by Adam updates with
 * TensorFlow.js's arithmetic. The step draws the same dropout masks and penalty weights from `rng`
 * as `model.trainStep`, so the two engines train the same model up to float32 rounding.
 * Needs onnxruntime-node (an optional peer).
 *
 * @throws OnnxError when the config uses something the engine does not implement, or
 *   onnxruntime-node is missing.
 */
export async function createOnnxTrainer(
  model: WadCmsn,
  options: OnnxTrainerOptions = {},
): Promise<OnnxTrainer> {
  const step = stepModel(model);
  const names = mainWeightNames(step);
  if (names.length !== model.mainVariables.length) {
    throw new OnnxError(
      `the onnx engine expected ${names.length} main variables, the model has ${model.mainVariables.length}`,
    );
  }
  const probe = { ...step, rows: 2 };
  mainGraph(probe); // fails now, not at the first step, on an unsupported config
  await importOnnxRuntime(); // and on a missing runtime, so that engine 'auto' can fall back
  const criticEntries = Object.entries(model.networks.critics);
  const criticSizes = criticEntries[0]?.[1]?.trainableVariables.map((v) => v.size) ?? [];
  const arena = createAdamArena(
    slotFloats(model.mainVariables.map((v) => v.size)) +
      (criticEntries.length + 1) * slotFloats(criticSizes),
  );
  const main = await readTrained(arena, model.mainVariables, model.optimisers.main, 'main');
  const critics: Record<string, Trained> = {};
  for (const [name, d] of criticEntries) {
    critics[name] = await readTrained(
      arena,
      d!.trainableVariables,
      model.optimisers.critics[name as 'sketch']!,
      `critic '${name}'`,
    );
  }
  // One set of gradient arrays serves every critic: they are updated one after the other.
  const criticGrads = criticSizes.map((n) => arena.alloc(n));
  for (const c of Object.values(critics)) {
    c.slots.forEach((s, i) => {
      s.g = criticGrads[i]!;
    });
  }
  const [criticName, criticSpec] = Object.entries(step.critics)[0] ?? [];
  const mainGrads = Object.fromEntries(names.map((n, i) => [`grad/${n}`, main.slots[i]!.g]));
  const criticGradOutputs = Object.fromEntries(criticGrads.map((g, i) => [`grad/${i}`, g]));
  const programs = new Map<number, Promise<Programs>>();
  const programsFor = (rows: number) => {
    let p = programs.get(rows);
    if (!p) {
      const spec = { ...step, rows };
      p = (async () => ({
        project: criticSpec ? await compileGraph(projectGraph(spec), options) : undefined,
        critic: criticSpec
          ? await compileGraph(criticGraph(spec, criticName as CriticName), {
              ...options,
              outputs: criticGradOutputs,
            })
          : undefined,
        main: await compileGraph(mainGraph(spec, { sharedFirstLayer: criticSpec !== undefined }), {
          ...options,
          outputs: mainGrads,
        }),
      }))();
      programs.set(rows, p);
    }
    return p;
  };

  async function trainStep(batch: TrainBatch, rng: Rng): Promise<StepResult> {
    const rows = checkBatch(batch, model.dims.visualDim, step.classes);
    const p = await programsFor(rows);
    const draws = drawStep(step, rows, rng);
    const feeds: Record<string, Float32Array> = {
      'x/sketch': batch.sketch,
      'x/image': batch.image,
      labels: Float32Array.from(batch.labels),
    };
    names.forEach((name, i) => {
      feeds[name] = main.slots[i]!.w;
    });
    const criticResults: StepResult['critics'] = {};
    if (draws.critic && p.project && p.critic && criticSpec && step.placement !== 'none') {
      feedMasks(feeds, 'projector', draws.critic.projector);
      await p.project.run(feeds);
      const projected = p.project.outputs;
      const z = { sketch: projected['z/sketch']!.slice(), image: projected['z/image']!.slice() };
      const prototypes = projected.prototypes!.slice();
      for (const b of BRANCHES) feeds[`pre/${b}`] = projected[`pre/${b}`]!;
      const out = p.critic.outputs;
      for (const { critic: name, real, fake } of criticPairs(step.placement, {
        ...z,
        prototypes,
      })) {
        const c = critics[name]!;
        const criticFeeds: Record<string, Float32Array> = { real, fake };
        c.slots.forEach((slot, i) => {
          criticFeeds[`critic/${i}`] = slot.w;
        });
        for (const epsilon of draws.critic.updates[name]!) {
          if (epsilon) criticFeeds.epsilon = epsilon;
          await p.critic.run(criticFeeds);
          arena.update(c.slots, c.count, c.settings);
          if (criticSpec.kind === 'wgan-clip') {
            const bound = criticSpec.clip;
            for (const { w } of c.slots)
              for (let i = 0; i < w.length; i++) w[i] = Math.min(bound, Math.max(-bound, w[i]!));
          }
        }
        criticResults[name] = {
          loss: out.loss![0]!,
          penalty: out.penalty![0]!,
          wasserstein: out.wasserstein![0]!,
        };
      }
    }
    feedMasks(feeds, 'projector', draws.main.projector);
    feedMasks(feeds, 'decoder', draws.main.decoder);
    for (const [name, c] of Object.entries(critics)) {
      c.slots.forEach((slot, i) => {
        feeds[`critic/${name}/${i}`] = slot.w;
      });
    }
    await p.main.run(feeds);
    const out = p.main.outputs;
    const loss = out.loss![0]!;
    const parts: Record<string, number> = {};
    for (const [key, value] of Object.entries(out))
      if (key.startsWith('part/')) parts[key.slice(5)] = value[0]!;
    checkLoss(loss, parts);
    arena.update(main.slots, main.count, main.settings);
    return { loss, parts, critics: criticResults };
  }

  return {
    engine: 'onnx',
    step: trainStep,
    async sync() {
      await writeTrained(main);
      for (const c of Object.values(critics)) await writeTrained(c);
    },
    async dispose() {
      for (const p of programs.values()) {
        const { project, critic, main: m } = await p;
        await Promise.all([project?.dispose(), critic?.dispose(), m.dispose()]);
      }
      programs.clear();
    },
  };
}
