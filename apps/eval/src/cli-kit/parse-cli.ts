import { parseArgs } from 'node:util';
import { ExperimentError } from '../experiment/experiment-error.js';

/** One command-line option: its type, help text and, for choices, the valid values. */
export interface CliOption {
  type: 'string' | 'boolean';
  help: string;
  /** Shown in the help as the value's name, e.g. `DIR`. */
  value?: string;
  choices?: readonly string[];
  /** Parsed as a non-negative integer. */
  integer?: boolean;
}

/** Parsed values: strings, integers and booleans by option name. */
export type CliValues = Record<string, string | number | boolean | undefined>;

/**
 * Parses `argv` against `spec`, strictly: an unknown option, a missing value, a value outside
 * `choices` or a non-integer where an integer is expected is an {@link ExperimentError} naming
 * the option and what was expected. Later occurrences of an option override earlier ones, so
 * `npm start -- --out DIR` overrides the script's own `--out`.
 */
export function parseCli(argv: string[], spec: Record<string, CliOption>): CliValues {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec).map(([k, o]) => [k, { type: o.type }])),
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    const message = (err as Error).message.split('\n')[0];
    throw new ExperimentError(
      `${message}. Valid options: ${Object.keys(spec)
        .map((k) => `--${k}`)
        .join(', ')}`,
    );
  }
  const out: CliValues = {};
  for (const [name, raw] of Object.entries(parsed.values)) {
    const option = spec[name]!;
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (option.choices && !option.choices.includes(String(value))) {
      throw new ExperimentError(
        `--${name} ${String(value)}: expected one of ${option.choices.join(', ')}`,
      );
    }
    if (option.integer) {
      const n = Number(value);
      if (!/^\d+$/.test(String(value)) || !Number.isSafeInteger(n)) {
        throw new ExperimentError(`--${name} ${String(value)}: expected a non-negative integer`);
      }
      out[name] = n;
    } else {
      out[name] = value as string | boolean;
    }
  }
  return out;
}

/** The help text of a command: usage line, then one line per option. */
export function cliHelp(usage: string, spec: Record<string, CliOption>): string {
  const lines = Object.entries(spec).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? (o.integer ? 'N' : 'VALUE')}` : ''}`;
    const choices = o.choices ? ` (${o.choices.join(' | ')})` : '';
    return `  ${flag.padEnd(28)} ${o.help}${choices}`;
  });
  return [`usage: ${usage}`, '', ...lines].join('\n');
}
