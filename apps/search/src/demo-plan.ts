import { resolve } from 'node:path';
import { inspectRunFolder } from '@zs-sbir/experiment';
import { openIndex, readRunIdentity, SearchError } from '@zs-sbir/search';

/** The QD-Emoji run `npm start` trains (its `--compare` job for WAD-CMSN), from the repo root. */
export const DEMO_RUN = 'runs/qd-emoji/wad-cmsn';
/** Where `npm run demo` keeps its index of the QD-Emoji gallery. */
export const DEMO_INDEX = 'runs/qd-emoji/search-index';

/** What `zs-sbir-search demo` has to do before it serves. */
export interface DemoPlan {
  /** The run folder, absolute. */
  run: string;
  /** Why the run must be trained first (`npm start`), or null: it is finished. */
  train: string | null;
  /** The cache root the run built QD-Emoji in (its `run.json`), or null before training. */
  cacheDir: string | null;
  /** The index folder, absolute. */
  index: string;
  /** Why the index must be built, or null: it is there, of this training of the run. */
  build: string | null;
  /** The index folder holds an index of another training of the run (delete it, then build). */
  stale: boolean;
}

/**
 * Decides what the demo does in the repository `root`: train the QD-Emoji run when
 * {@link DEMO_RUN} holds no finished run (best checkpoint and report), build the index when
 * {@link DEMO_INDEX} holds none (or one of an earlier training of the run), then serve.
 * Reads only; changes nothing.
 *
 * @throws SearchError (option `run`) when the run folder holds a finished run of another dataset.
 */
export async function planDemo(root: string): Promise<DemoPlan> {
  const run = resolve(root, DEMO_RUN);
  const index = resolve(root, DEMO_INDEX);
  const folder = await inspectRunFolder(run);
  if (!folder.best.ok || !folder.reported || !folder.description) {
    const why = folder.exists
      ? `${DEMO_RUN} holds an unfinished run`
      : `no trained run in ${DEMO_RUN}`;
    return { run, train: why, cacheDir: null, index, build: 'no index yet', stale: false };
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
  const built = await openIndex(index).then(
    async (opened) => {
      const same = opened.info.run.checkpoint === checkpoint;
      await opened.close();
      return same;
    },
    () => null,
  );
  if (built === null) {
    return { run, train: null, cacheDir, index, build: 'no index yet', stale: false };
  }
  return built
    ? { run, train: null, cacheDir, index, build: null, stale: false }
    : {
        run,
        train: null,
        cacheDir,
        index,
        build: `${DEMO_INDEX} indexes an earlier training of the run`,
        stale: true,
      };
}
