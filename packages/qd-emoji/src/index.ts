export type { ViewParams } from './augment-view.js';
export { viewParams } from './augment-view.js';
export type { BackgroundKind, BackgroundSpec, Rgb } from './background-texture.js';
export { buildDir, cacheRoot, contentVersion, RENDER_VERSION } from './cache-dir.js';
export type { QdEmojiClass } from './class-list.js';
export { QD_EMOJI_CLASSES, selectClasses } from './class-list.js';
export type { DesignSet, DesignSetKind } from './design-sets.js';
export { DESIGN_SETS } from './design-sets.js';
export { QdEmojiError } from './errors.js';
export { GLOVE_DIMENSIONS, gloveVectors } from './glove.js';
export type { QdEmoji, QdEmojiOptions, QdEmojiProgress } from './load-qd-emoji.js';
export { loadQdEmoji } from './load-qd-emoji.js';
export { QUICKDRAW_SIDE, readQuickDrawBitmaps } from './quickdraw-bitmaps.js';
export { renderSketch } from './render-sketch.js';
export type { GroupedSplitOptions } from './split.js';
export {
  DEFAULT_SPLIT,
  groupedRandomSplit,
  NEAR_SYNONYM_GROUPS,
  restrictSplit,
  UNSEEN_SHARE,
  VALIDATION_SHARE,
} from './split.js';
export { QD_EMOJI_SYNSETS, wordnetEmbeddings } from './wordnet-semantics.js';
