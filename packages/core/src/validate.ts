import * as v from 'valibot';

/** An error class whose constructor takes a message, e.g. `SemanticError`. */
export type ErrorClass = new (message: string) => Error;

/**
 * Where a validated value comes from, which decides how messages name it:
 * - `{ where: 'createMlp' }` (an option bag): `createMlp: option 'hiddenDims[1]' must be ...`;
 *   `noun` replaces `option`, e.g. `{ where: '/runs/a/manifest.json', noun: 'key' }` for a file.
 * - `{ path: 'config' }` (a config tree): `config.critic.placement must be ...`.
 *
 * `error` is the class thrown.
 */
export type ValidationTarget = { error: ErrorClass } & (
  | { where: string; noun?: string; path?: undefined }
  | { path: string; where?: undefined; noun?: undefined }
);

type AnyIssue = v.BaseIssue<unknown>;
type AnySchema = v.GenericSchema;

/**
 * Checks `input` against the valibot `schema` and returns its output (defaults filled in,
 * transforms applied).
 *
 * @throws target.error with one message naming the key (dotted path, `[i]` for array items), the
 *   value received and what was expected: the valid names for an unknown key, the choices for a
 *   wrong enum value, the range for a number out of range.
 */
export function validate<S extends AnySchema>(
  schema: S,
  input: unknown,
  target: ValidationTarget,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { message: expectedPhrase });
  if (result.success) return result.output;
  throw new target.error(describeIssues(schema, result.issues, target));
}

/**
 * Parses `text` as JSON and checks it like {@link validate}: the reader of a file passes
 * `{ where: path, noun: 'key', error }`, so every failure names the file (and the key).
 *
 * @throws target.error `<where>: not valid JSON (<parser message>)` for text that is not JSON, or
 *   {@link validate}'s message for JSON of the wrong shape.
 */
export function validateJson<S extends AnySchema>(
  schema: S,
  text: string,
  target: ValidationTarget,
): v.InferOutput<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new target.error(
      `${target.where ?? target.path}: not valid JSON (${(err as Error).message})`,
    );
  }
  return validate(schema, value, target);
}

/** The message {@link validate} throws for `issues` of `schema` (the first issue, unknown keys first). */
export function describeIssues(
  schema: AnySchema,
  issues: readonly AnyIssue[],
  target: ValidationTarget,
): string {
  const issue = issues.find(isUnknownKey) ?? issues[0];
  if (!issue) return `${targetLabel(target, [])}: invalid`;
  const path = issue.path ?? [];
  if (isUnknownKey(issue)) {
    const parentPath = path.slice(0, -1);
    const object = path[path.length - 1]?.input as Record<string, unknown>;
    const entries = entriesOf(schemaAt(schema, parentPath));
    const valid = Object.keys(entries ?? {});
    const unknown = Object.keys(object).filter((key) => !valid.includes(key));
    const noun = target.path === undefined ? (target.noun ?? 'option') : 'key';
    const parent = target.path === undefined ? target.where : targetLabel(target, parentPath);
    const prefix = target.path === undefined && parentPath.length ? `${keyPath(parentPath)}.` : '';
    return `${parent}: unknown ${noun}${unknown.length > 1 ? 's' : ''} ${unknown
      .map((key) => `'${prefix}${key}'`)
      .join(', ')}; valid ${noun}s are ${valid.join(', ')}`;
  }
  const label = targetLabel(target, path);
  if (issue.input === undefined && path.length > 0) return `${label} is required`;
  return `${label} must be ${issue.message}, got ${formatValue(issue.input)}`;
}

function isUnknownKey(issue: AnyIssue): boolean {
  return (
    issue.kind === 'schema' &&
    issue.type === 'strict_object' &&
    issue.expected === 'never' &&
    (issue.path?.length ?? 0) > 0
  );
}

type PathItem = NonNullable<AnyIssue['path']>[number];

function keyPath(path: readonly PathItem[]): string {
  return path
    .map((item, i) =>
      typeof item.key === 'number' ? `[${item.key}]` : `${i > 0 ? '.' : ''}${String(item.key)}`,
    )
    .join('');
}

function targetLabel(target: ValidationTarget, path: readonly PathItem[]): string {
  if (target.path !== undefined) {
    const keys = keyPath(path);
    return `${target.path}${keys && !keys.startsWith('[') ? '.' : ''}${keys}`;
  }
  const noun = target.noun ?? 'option';
  return path.length ? `${target.where}: ${noun} '${keyPath(path)}'` : `${target.where}: ${noun}s`;
}

/** A value as messages show it: numbers and booleans as written, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined || typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

type Node = {
  entries?: Record<string, AnySchema>;
  wrapped?: AnySchema;
  item?: AnySchema;
  value?: AnySchema;
};

function unwrap(schema: AnySchema | undefined): Node | undefined {
  let node = schema as Node | undefined;
  while (node?.wrapped) node = node.wrapped as Node;
  return node;
}

function entriesOf(schema: AnySchema | undefined): Record<string, AnySchema> | undefined {
  return unwrap(schema)?.entries;
}

/** The schema that checks the value at `path` inside `schema` (objects, arrays, records). */
function schemaAt(schema: AnySchema, path: readonly PathItem[]): AnySchema | undefined {
  let node: AnySchema | undefined = schema;
  for (const item of path) {
    const n = unwrap(node);
    if (!n) return undefined;
    node =
      typeof item.key === 'number' ? n.item : (n.entries?.[String(item.key)] ?? n.value ?? n.item);
  }
  return node;
}

const TYPE_PHRASES: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  Array: 'an array',
  Object: 'an object',
  null: 'null',
};

/** The fallback message of a schema without one: what it expects, in words. */
function expectedPhrase(issue: AnyIssue): string {
  const expected = issue.expected ?? issue.type;
  return expected
    .replace(/^\((.*)\)$/, '$1')
    .split(' | ')
    .map((part) => TYPE_PHRASES[part] ?? part)
    .join(' or ');
}
