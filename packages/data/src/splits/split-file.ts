import sketchySake from '../../data/splits/sketchy-sake.json';
import sketchySemPcyc from '../../data/splits/sketchy-sem-pcyc.json';
import sketchyYelamarthi from '../../data/splits/sketchy-yelamarthi.json';
import tuBerlinSake from '../../data/splits/tu-berlin-sake.json';
import tuBerlinSemPcyc from '../../data/splits/tu-berlin-sem-pcyc.json';

/** Datasets that have published zero-shot splits. */
export type SplitDataset = 'sketchy' | 'tu-berlin';
/** Published zero-shot splits. */
export type SplitName = 'sem-pcyc' | 'sake' | 'yelamarthi';

/** A shipped split file (`data/splits/<dataset>-<name>.json`). */
export interface SplitFile {
  name: string;
  dataset: string;
  /** Paper and file it was taken from. */
  source: string;
  /** Every class of the dataset, normalised and sorted. */
  classes: string[];
  seen: string[];
  unseen: string[];
  /**
   * SEM-PCYC only: the classes its code validates on, which are part of its 25/30 test classes
   * (its "test classes" print validation + test). Kept for reference; not used as validation here.
   */
  upstreamValidation?: string[];
}

/** Every shipped split, keyed `<dataset>/<name>`. */
export const SPLIT_FILES: Readonly<Record<string, SplitFile>> = {
  'sketchy/sem-pcyc': sketchySemPcyc,
  'sketchy/sake': sketchySake,
  'sketchy/yelamarthi': sketchyYelamarthi,
  'tu-berlin/sem-pcyc': tuBerlinSemPcyc,
  'tu-berlin/sake': tuBerlinSake,
};
