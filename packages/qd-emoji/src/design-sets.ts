import designSets from '../data/design-sets.json';

/** How a design set stores its emoji. */
export type DesignSetKind = 'iconify' | 'webp-folder';

/**
 * One colour emoji design set: an npm package whose designers drew every emoji of the set.
 * `iconify` sets hold SVG bodies in the package's `icons.json`; `webp-folder` sets hold raster
 * renders in the package's `assets/` folder, named by code point.
 */
export interface DesignSet {
  /** Short id used in class entries and file names, e.g. `twemoji`, `fluent-3d`. */
  id: string;
  kind: DesignSetKind;
  /** The npm package the designs are read from. */
  package: string;
  /** Who drew it. */
  designer: string;
  /** SPDX licence id of the artwork. */
  licence: string;
  /** The attribution line the licence asks for. */
  attribution: string;
}

/** The 11 colour design sets, in the order designs are listed and rendered. */
export const DESIGN_SETS: readonly DesignSet[] = designSets as DesignSet[];
