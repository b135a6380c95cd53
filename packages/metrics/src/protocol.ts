/**
 * The published evaluators this package reproduces.
 *
 * - `sklearn`: SEM-PCYC (Dutta & Akata, CVPR 2019, `src/utils.py`) and Doodle2Search (Dey et al.,
 *   CVPR 2019, `src/test.py`): scikit-learn's `average_precision_score`, tied scores form one
 *   threshold, no interpolation. A query with no relevant item scores 0.
 * - `voc`: SAKE (Liu et al., ICCV 2019, `eval_AP_inner`) and ZSE-SBIR (Lin et al., CVPR 2023,
 *   `utils/ap.py`): stable ranking (ties in gallery order), precision made monotone from the
 *   bottom up, area under that curve. A query with no relevant item scores NaN and is left out of
 *   means (their `np.nanmean`).
 */
export type Protocol = 'sklearn' | 'voc';

/** Every {@link Protocol} name. */
export const PROTOCOLS: readonly Protocol[] = ['sklearn', 'voc'];

/**
 * What P@K divides the hits by.
 *
 * - `k` (default): hits in the top K over min(K, N) (SEM-PCYC `precak`, SAKE `eval_precision`).
 * - `relevant`: hits in the top min(K, R) over min(K, R) (ZSE-SBIR `precision_eval`, an
 *   R-precision when R < K); NaN when the query has no relevant item.
 */
export type PrecisionDenominator = 'k' | 'relevant';

/** Every {@link PrecisionDenominator} name. */
export const PRECISION_DENOMINATORS: readonly PrecisionDenominator[] = ['k', 'relevant'];
