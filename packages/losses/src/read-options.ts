import {
  assertKnownOptions,
  expectInteger,
  expectNumber,
  expectOneOf,
  type NumberBounds,
} from '@zs-sbir/semantic';
import { LossError } from './errors.js';

/** How one option of a loss is checked; without `default` the option is required. */
export type OptionSpec =
  | ({ type: 'number'; default?: number } & NumberBounds)
  | { type: 'integer'; default?: number; min?: number }
  | { type: 'enum'; values: readonly string[]; default?: string }
  | { type: 'boolean'; default?: boolean }
  | { type: 'seed'; default?: number | string };

type ValueOf<S> = S extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'seed' }
      ? number | string
      : number;

/** The options a spec describes, every default filled in. */
export type ResolvedOptions<S extends Record<string, OptionSpec>> = {
  -readonly [K in keyof S]: ValueOf<S[K]>;
};

function readOne(where: string, name: string, spec: OptionSpec, value: unknown): unknown {
  if (value === undefined) {
    if (spec.default === undefined) {
      throw new LossError(`${where}: option '${name}' is required`);
    }
    return spec.default;
  }
  switch (spec.type) {
    case 'number':
      return expectNumber(where, name, value, LossError, spec);
    case 'integer':
      return expectInteger(where, name, value, LossError, spec.min ?? 1);
    case 'enum':
      return expectOneOf(where, name, value, spec.values, LossError);
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw new LossError(
          `${where}: option '${name}' must be true or false, got ${String(value)}`,
        );
      }
      return value;
    case 'seed':
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
        throw new LossError(`${where}: option '${name}' must be a finite number or a string`);
      }
      return value;
  }
}

/**
 * Validates a loss's options against its spec: unknown names are an error listing the valid ones,
 * values are type- and range-checked, defaults filled in.
 *
 * @param where - the loss's registry name, used in messages.
 * @throws LossError naming the loss and the option.
 */
export function readOptions<S extends Record<string, OptionSpec>>(
  where: string,
  options: object,
  spec: S,
): ResolvedOptions<S> {
  assertKnownOptions(where, options, Object.keys(spec), LossError);
  const given = options as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) out[name] = readOne(where, name, s, given[name]);
  return out as ResolvedOptions<S>;
}
