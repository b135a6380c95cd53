/**
 * The error every QD-Emoji function throws for bad options, missing source packages or unreadable
 * source files. The message names the option, class, set or file that is wrong and what was
 * expected.
 */
export class QdEmojiError extends Error {
  override name = 'QdEmojiError';
}
