import classes from '../data/classes.json';
import { QdEmojiError } from './errors.js';

/**
 * One reviewed QD-Emoji class: a Quick, Draw! category matched to one CLDR emoji.
 * `designs` maps a design set id (see {@link DESIGN_SETS}) to the icon name (Iconify sets) or file
 * name (3D renders) of that emoji in the set; only sets that have the emoji are listed (7 to 11).
 */
export interface QdEmojiClass {
  /** Normalised class name (lower case, words joined by `_`), e.g. `alarm_clock`. */
  name: string;
  /** The Quick, Draw! category, e.g. `alarm clock`. */
  quickdraw: string;
  /** The CLDR short name of the emoji, e.g. `alarm-clock`. */
  cldr: string;
  /** The emoji's code point sequence in hex, e.g. `23f0`. */
  codepoint: string;
  designs: Record<string, string>;
}

/** Every reviewed class (about 160), sorted by name: the contents of `data/classes.json`. */
export const QD_EMOJI_CLASSES: readonly QdEmojiClass[] = classes as QdEmojiClass[];

/**
 * The classes named in `names`, in the order of {@link QD_EMOJI_CLASSES}; all of them when
 * `names` is undefined.
 *
 * @throws QdEmojiError naming every unknown class, when a name is not in the class list.
 */
export function selectClasses(names?: readonly string[]): QdEmojiClass[] {
  if (names === undefined) return [...QD_EMOJI_CLASSES];
  const known = new Set(QD_EMOJI_CLASSES.map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new QdEmojiError(
      `option "classes": unknown class(es) ${unknown.join(', ')}; expected names from ` +
        `data/classes.json such as ${QD_EMOJI_CLASSES.slice(0, 5)
          .map((c) => c.name)
          .join(', ')} (${QD_EMOJI_CLASSES.length} in all)`,
    );
  }
  const wanted = new Set(names);
  return QD_EMOJI_CLASSES.filter((c) => wanted.has(c.name));
}
