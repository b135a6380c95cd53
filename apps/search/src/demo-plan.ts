import { resolve } from 'node:path';
import { inspectRunFolder } from '@zs-sbir/experiment';
import { openIndex, readRunIdentity, SearchError } from '@zs-sbir/search';

/** The QD-Emoji run `npm start` trains (its `--compare` job for WAD-CMSN), from the repo root. */
export const DEMO_RUN = 'runs/qd-emoji/wad-cmsn';
/**
 * Where `npm run demo` keeps its indexes of the QD-Emoji gallery: one folder per training of the
 * run (`<DEMO_INDEX>/<first 12 hex digits of the best checkpoint's SHA-256>`), so training again
 * builds a new index beside the old one and deletes nothing.
 */
export const DEMO_INDEX = 'runs/qd-emoji/search-index';

/** The demo's index folder for the training whose best checkpoint hashes to `checkpoint`. */
export const demoIndexFor = (root: string, checkpoint: string): string =>
  resolve(root, DEMO_INDEX, checkpoint.slice(0, 12));

/** What `zs-sbir-search demo` has to do before it serves. */
export interface DemoPlan {
  /** The run folder, absolute. */
  run: string;
  /** Why the run must be trained first (`npm start`), or null: it is finished. */
  train: string | null;
  /** The cache root the run built QD-Emoji in (its `run.json`), or null before training. */
  cacheDir: string | null;
  /** The size the run's QD-Emoji build is rendered at (its backbone input size), or null: default. */
  renderSize: number | null;
  /** The index folder of this training of the run, absolute; null before training. */
  index: string | null;
  /** Why the index must be built, or null: it is there. */
  build: string | null;
}

/**
 * Decides what the demo does in the repository `root`: train the QD-Emoji run when
 * {@link DEMO_RUN} holds no finished run (best checkpoint and report), build the index when
 * there is none for this training of the run under {@link DEMO_INDEX}, then serve.
 * Reads only; changes nothing.
 *
 * @throws SearchError (option `run`) when the run folder holds a finished run of another dataset.
 */
export async function planDemo(root: string): Promise<DemoPlan> {
  const run = resolve(root, DEMO_RUN);
  const folder = await inspectRunFolder(run);
  if (!folder.best.ok || !folder.reported || !folder.description) {
    const why = folder.exists
      ? `${DEMO_RUN} holds an unfinished run`
      : `no trained run in ${DEMO_RUN}`;
    return {
      run,
      train: why,
      cacheDir: null,
      renderSize: null,
      index: null,
      build: 'no index yet',
    };
  }
  const { spec } = folder.description;
  if (spec.dataset !== 'qd-emoji') {
    throw new SearchError(
      'run',
      `${DEMO_RUN} holds a run of --dataset ${spec.dataset}; the demo serves the qd-emoji run that npm start trains`,
    );
  }
  const cacheDir = resolve(root, spec.cacheDir);
  const { checkpoint } = await readRunIdentity(run);
  const index = demoIndexFor(root, checkpoint);
  const built = await openIndex(index).then(
    async (opened) => {
      const same = opened.info.run.checkpoint === checkpoint;
      await opened.close();
      return same;
    },
    () => false,
  );
  // The build the run was trained on, as its run.json records it (none: the 224 px default).
  const renderSize = spec.renderSize ?? null;
  return { run, train: null, cacheDir, renderSize, index, build: built ? null : 'no index yet' };
}
