/**
 * The trained methods of a comparison: WAD-CMSN's config and the ablations the issue asks for,
 * each a change of config alone.
 */
export const TRAINED_METHODS = {
  'wad-cmsn': {},
  'no-critic': { critic: { placement: 'none' } },
  'no-identity': { losses: { identity: null } },
} as const satisfies Record<string, Record<string, unknown>>;

export type TrainedMethod = keyof typeof TRAINED_METHODS;

/** The names of {@link TRAINED_METHODS}. */
export const TRAINED_METHOD_NAMES = Object.keys(TRAINED_METHODS) as TrainedMethod[];
