/** A file a layout found, before headers are checked and names normalised. */
export interface RawItem {
  path: string;
  /** Class name as spelled in the folder or list. */
  className: string;
}

/** What a layout lists: sketches, images, and what it could not use. */
export interface Listing {
  sketches: RawItem[];
  images: RawItem[];
  /** Class folders without an image file, and similar, with the reason. */
  skipped: { path: string; reason: string }[];
}
