import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, type Sample, tf } from '@zs-sbir/core';
import { imageBatches } from '@zs-sbir/data';
import type { TfjsBackbone } from './backbone.js';
import { BackboneError } from './backbone-error.js';
import type { PipelineOptions } from './extract-features.js';
import { fileIOHandler } from './file-io-handler.js';
import type { LayersBackboneOptions } from './load-backbone-options.js';
import { createTfjsBackbone } from './tfjs-backbone.js';

/** Progress of {@link fineTuneBackbone}, after every batch. */
export interface FineTuneProgress {
  epoch: number;
  /** Batch within the epoch, from 1. */
  batch: number;
  batches: number;
  /** Mean softmax cross-entropy of this batch. */
  loss: number;
  /** Share of this batch classified correctly. */
  accuracy: number;
}

/** Options of {@link fineTuneBackbone}. */
export interface FineTuneOptions {
  /** The dataset's class names (`Sample.label` indexes it). */
  classNames: string[];
  /** Classes to train the head on (the split's seen classes); other samples are left out. */
  seen: string[];
  /** Passes over the samples; default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate; default 1e-4. */
  learningRate?: number;
  /** Seeds the head's initialisation and the sample order; default 0. */
  seed?: number;
  /** How files become inputs (size and normalisation come from the backbone); default `pad`. */
  pipeline?: PipelineOptions;
  /**
   * Folder to save the tuned network to (TensorFlow.js layers model): the returned backbone's
   * `spec` then loads it, so worker threads and later runs get the tuned weights.
   */
  saveTo?: string;
  /**
   * Replace a model already saved in `saveTo`. Default false: a `saveTo` holding `model.json` is
   * an error before any training, and the model there is left as it was.
   */
  overwrite?: boolean;
  onProgress?: (progress: FineTuneProgress) => void;
}

/** What {@link fineTuneBackbone} returns. */
export interface FineTuneResult {
  /** The tuned backbone; it takes over the network of the one passed in. */
  backbone: TfjsBackbone;
  /** Mean loss and accuracy of each epoch. */
  history: { epoch: number; loss: number; accuracy: number }[];
}

/**
 * Fine-tunes a TensorFlow.js backbone with a linear classification head on the seen classes
 * (softmax cross-entropy, Adam), as SEM-PCYC (Dutta & Akata, CVPR 2019) tunes its ImageNet VGG16
 * before training the retrieval model. Every weight of the network is trained; batch norm keeps
 * its running statistics and dropout is off (inference mode), which keeps small batches stable.
 * The head is discarded afterwards. The backbone passed in must not be used afterwards.
 *
 * @throws {BackboneError} when no sample belongs to a seen class, a seen class is unknown, or
 *   `saveTo` already holds a model and `overwrite` is not set (all before any training).
 */
export async function fineTuneBackbone(
  backbone: TfjsBackbone,
  samples: Sample[],
  options: FineTuneOptions,
): Promise<FineTuneResult> {
  const { classNames, seen, epochs = 1, batchSize = 32, learningRate = 1e-4, seed = 0 } = options;
  const unknown = seen.filter((c) => !classNames.includes(c));
  if (unknown.length) {
    throw new BackboneError(
      `fineTuneBackbone: seen class(es) ${unknown.join(', ')} are not in classNames`,
    );
  }
  const saved = options.saveTo ? join(options.saveTo, 'model.json') : undefined;
  if (saved && !options.overwrite && (await stat(saved).catch(() => null))) {
    throw new BackboneError(
      `fineTuneBackbone: ${options.saveTo} already holds a model (model.json); pass overwrite: true to replace it, or choose another saveTo`,
    );
  }
  const headIndex = new Map(seen.map((c, i) => [classNames.indexOf(c), i]));
  const train = samples.filter((s) => headIndex.has(s.label));
  if (!train.length) {
    throw new BackboneError(
      `fineTuneBackbone: none of the ${samples.length} samples is of a seen class`,
    );
  }
  const rng = createRng(seed);
  const { model, inputSize, normalisation } = backbone;
  const head = tf.layers.dense({
    units: seen.length,
    kernelInitializer: tf.initializers.glorotUniform({ seed: rng.int(2 ** 31 - 1) }),
  });
  head.build([null, backbone.outputDim]);
  const variables = [...model.trainableWeights, ...head.trainableWeights].map(
    (w) => w.read() as tf.Variable,
  );
  const optimizer = tf.train.adam(learningRate);
  const batches = Math.ceil(train.length / batchSize);
  const history: FineTuneResult['history'] = [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let lossSum = 0;
      let correct = 0;
      let seenCount = 0;
      for await (const batch of imageBatches(rng.shuffle([...train]), {
        fit: 'pad',
        ...options.pipeline,
        size: inputSize,
        normalisation,
        batchSize,
      })) {
        if (!batch.count) continue;
        const labels = batch.samples.map((s) => headIndex.get(s.label)!);
        let hits = 0;
        const cost = tf.tidy(() => {
          const x = tf.tensor4d(batch.data, [batch.count, inputSize, inputSize, 3]);
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), seen.length);
          return optimizer.minimize(
            (): tf.Scalar => {
              const features = model.apply(x, { training: false }) as tf.Tensor2D;
              const logits = head.apply(features) as tf.Tensor2D;
              const predicted = logits.argMax(1).dataSync();
              hits = labels.filter((label, i) => predicted[i] === label).length;
              return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
            },
            true,
            variables,
          ) as tf.Scalar;
        });
        const loss = (await cost.data())[0]!;
        cost.dispose();
        lossSum += loss * batch.count;
        correct += hits;
        seenCount += batch.count;
        options.onProgress?.({
          epoch,
          batch: batch.index + 1,
          batches,
          loss,
          accuracy: hits / batch.count,
        });
      }
      history.push({ epoch, loss: lossSum / seenCount, accuracy: correct / seenCount });
    }
  } finally {
    optimizer.dispose();
    // The head was only applied to concrete tensors, so Layer.dispose() refuses it: free its weights.
    for (const w of head.weights) w.dispose();
  }
  backbone.refresh();
  const saveTo = options.saveTo;
  if (saveTo) {
    await mkdir(saveTo, { recursive: true });
    await model.save(fileIOHandler(saveTo));
  }
  const tuned = createTfjsBackbone({
    name: backbone.name,
    model,
    normalisation,
    weights: saveTo ?? `${backbone.weights}, fine-tuned in memory`,
    spec: saveTo
      ? ({ name: backbone.name, weights: saveTo, normalisation } as LayersBackboneOptions)
      : undefined,
    ...(backbone.layers ? { layers: backbone.layers } : {}),
    ...(backbone.layerDims ? { layerDims: backbone.layerDims } : {}),
  });
  return { backbone: tuned, history };
}
