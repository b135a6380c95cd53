import { ConfigError } from './config-error.js';

/** A declarative description of one config value, used to validate and to document. */
export type Schema =
  | { type: 'number'; min?: number; max?: number; integer?: boolean; doc: string }
  | { type: 'boolean'; doc: string }
  | { type: 'string'; doc: string }
  | { type: 'enum'; values: readonly string[]; doc: string }
  | { type: 'array'; of: Schema; doc: string }
  | { type: 'nullable'; of: Schema; doc: string }
  | { type: 'object'; fields: Record<string, Schema>; doc: string }
  | { type: 'record'; of: Schema; doc: string }
  | { type: 'any-object'; doc: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Merges `input` over `defaults` (objects merge key by key, anything else replaces) and checks
 * the result against `schema`.
 *
 * @param path - the config path used in messages, e.g. `config`.
 * @throws ConfigError naming the key and the valid keys or values.
 */
export function validate(schema: Schema, input: unknown, defaults: unknown, path: string): unknown {
  const value = input === undefined ? defaults : input;
  switch (schema.type) {
    case 'number': {
      const ok =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!schema.integer || Number.isInteger(value)) &&
        value >= (schema.min ?? -Infinity) &&
        value <= (schema.max ?? Infinity);
      if (!ok) {
        const bounds = [
          schema.integer ? 'an integer' : 'a number',
          schema.min !== undefined ? `>= ${schema.min}` : '',
          schema.max !== undefined ? `<= ${schema.max}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        throw new ConfigError(`${path} must be ${bounds}, got ${JSON.stringify(value)}`);
      }
      return value;
    }
    case 'boolean':
    case 'string':
      if (typeof value !== schema.type) {
        throw new ConfigError(`${path} must be a ${schema.type}, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value)) {
        throw new ConfigError(
          `${path} is ${JSON.stringify(value)}: expected one of ${schema.values.join(', ')}`,
        );
      }
      return value;
    case 'nullable':
      return value === null ? null : validate(schema.of, value, undefined, path);
    case 'array':
      if (!Array.isArray(value)) {
        throw new ConfigError(`${path} must be an array, got ${JSON.stringify(value)}`);
      }
      return value.map((v, i) => validate(schema.of, v, undefined, `${path}[${i}]`));
    case 'any-object':
      if (!isPlainObject(value)) {
        throw new ConfigError(`${path} must be an object, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'record': {
      if (!isPlainObject(value)) {
        throw new ConfigError(`${path} must be an object, got ${JSON.stringify(value)}`);
      }
      const base = isPlainObject(defaults) ? defaults : {};
      const keys = new Set([...Object.keys(base), ...Object.keys(value)]);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        out[key] = validate(schema.of, value[key], base[key], `${path}.${key}`);
      }
      return out;
    }
    case 'object': {
      if (!isPlainObject(value)) {
        throw new ConfigError(`${path} must be an object, got ${JSON.stringify(value)}`);
      }
      const valid = Object.keys(schema.fields);
      const unknown = Object.keys(value).filter((k) => !valid.includes(k));
      if (unknown.length > 0) {
        throw new ConfigError(
          `${path}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; valid keys are ${valid.join(', ')}`,
        );
      }
      const base = isPlainObject(defaults) ? defaults : {};
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(schema.fields)) {
        out[key] = validate(field, value[key], base[key], `${path}.${key}`);
      }
      return out;
    }
  }
}

/** Lists every leaf of `schema` as `path: doc` lines (for the docs and `--help`). */
export function describeSchema(schema: Schema, path = 'config'): string[] {
  if (schema.type === 'object') {
    return Object.entries(schema.fields).flatMap(([k, s]) => describeSchema(s, `${path}.${k}`));
  }
  return [`${path}: ${schema.doc}`];
}
