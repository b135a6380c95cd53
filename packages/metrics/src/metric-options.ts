import { checkChoice, checkOptionNames } from './check-option-names.js';
import { MetricsError } from './metrics-error.js';
import {
  PRECISION_DENOMINATORS,
  PROTOCOLS,
  type PrecisionDenominator,
  type Protocol,
} from './protocol.js';

/** Options of the per-query functions. */
export interface MetricOptions {
  /** Which evaluator's rules to follow; default `sklearn`. */
  protocol?: Protocol;
}

/** Options of {@link precisionAtK}. */
export interface PrecisionOptions extends MetricOptions {
  /** What P@K divides by; default `k` (see {@link PrecisionDenominator}). */
  denominator?: PrecisionDenominator;
}

/** Checks option names and values, filling in the defaults. */
export function resolveMetricOptions(
  options: PrecisionOptions | undefined,
  where: string,
  valid: readonly string[] = ['protocol'],
): Required<PrecisionOptions> {
  checkOptionNames(options, valid, where);
  return {
    protocol: checkChoice(options?.protocol ?? 'sklearn', PROTOCOLS, 'protocol', where),
    denominator: checkChoice(
      options?.denominator ?? 'k',
      PRECISION_DENOMINATORS,
      'denominator',
      where,
    ),
  };
}

/** Refuses a K that is not a positive integer. */
export function checkK(k: number, where: string): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new MetricsError(`${where}: k must be a positive integer, got ${k}`);
  }
}
