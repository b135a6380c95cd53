/** The cut-offs reported by default: mAP@100, mAP@200, P@100, P@200. */
export const DEFAULT_KS: readonly number[] = [100, 200];
