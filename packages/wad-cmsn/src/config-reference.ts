import type * as v from 'valibot';
import { getDescription, getMetadata } from 'valibot';
import { DEFAULT_CONFIG, WAD_CMSN_CONFIG } from './config.js';

type Node = {
  type: string;
  message?: unknown;
  wrapped?: Node;
  item?: Node;
  entries?: Record<string, Node>;
};

/** What a schema accepts, in the words its error messages use. */
function accepts(schema: Node): string {
  switch (schema.type) {
    case 'optional':
      return accepts(schema.wrapped as Node);
    case 'nullable':
      return `${accepts(schema.wrapped as Node)} or null`;
    case 'array':
      return `an array, each ${accepts(schema.item as Node)}`;
    case 'record':
    case 'strict_object':
      return 'an object';
    case 'boolean':
      return 'true or false';
    default:
      return typeof schema.message === 'string' ? schema.message : `a ${schema.type}`;
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function rows(entries: Record<string, Node>, path: string, defaults: unknown): string[] {
  return Object.entries(entries).flatMap(([key, optional]) => {
    const schema = (optional.wrapped ?? optional) as Node;
    const at = `${path}${key}`;
    const value = (defaults as Record<string, unknown>)[key];
    const doc = getDescription(schema as unknown as v.GenericSchema) ?? '';
    if (schema.type === 'strict_object' && schema.entries) {
      return [`| \`${at}\` | | | ${cell(doc)} | |`, ...rows(schema.entries, `${at}.`, value)];
    }
    const { source = '' } = getMetadata(schema as never) as { source?: string };
    return [
      `| \`${at}\` | ${cell(accepts(schema))} | \`${cell(JSON.stringify(value))}\` | ${cell(doc)} | ${cell(source)} |`,
    ];
  });
}

/**
 * The config reference as a Markdown table (key, accepted values, default, meaning, source of the
 * default), generated from {@link WAD_CMSN_CONFIG} so the docs cannot drift from the checks.
 * `packages/wad-cmsn/scripts/config-reference.mjs` writes it into the README.
 */
export function configReference(): string {
  const entries = (WAD_CMSN_CONFIG as unknown as Node).entries as Record<string, Node>;
  return [
    '| key | accepts | default | meaning | source of the default |',
    '| --- | --- | --- | --- | --- |',
    ...rows(entries, '', DEFAULT_CONFIG),
  ].join('\n');
}
