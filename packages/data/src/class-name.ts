/**
 * Class-name normalisation shared by every reader, split and class-vector lookup.
 *
 * Datasets spell the same class differently: Sketchy's `hot-air_balloon` is SEM-PCYC's
 * `hot_air_balloon`, TU-Berlin's `car (sedan)` is Sketchy's `car_(sedan)`, SAKE lists
 * `teddy-bear` where SEM-PCYC has `teddy_bear`. Every name is normalised once, when it is read.
 */

/**
 * The Sketchy folders SEM-PCYC renamed (Dutta & Akata, CVPR 2019), looked up on the lower-cased
 * name before the separator rules. Both agree with the rules; they are listed so the mapping to
 * SEM-PCYC's names is explicit and stays so if the rules change.
 */
export const SKETCHY_RENAMES: Readonly<Record<string, string>> = {
  'hot-air_balloon': 'hot_air_balloon',
  'jack-o-lantern': 'jack_o_lantern',
};

/**
 * Normalises a class name: trimmed and lower-cased, {@link SKETCHY_RENAMES} applied, then runs of
 * spaces, hyphens and underscores become one `_`.
 *
 * @example normaliseClassName('Hot-Air Balloon') === 'hot_air_balloon'
 * @example normaliseClassName('car (sedan)') === 'car_(sedan)'
 */
export function normaliseClassName(name: string): string {
  const lower = name.trim().toLowerCase();
  const renamed = Object.hasOwn(SKETCHY_RENAMES, lower) ? SKETCHY_RENAMES[lower]! : lower;
  return renamed.replace(/[\s_-]+/g, '_');
}

/**
 * The words of a class name, parentheses dropped: `car (sedan)` -> `['car', 'sedan']`,
 * `pipe_(for_smoking)` -> `['pipe', 'for', 'smoking']`.
 */
export function classNameWords(name: string): string[] {
  return normaliseClassName(name)
    .replace(/[()]/g, '')
    .split('_')
    .filter((w) => w.length > 0);
}
