import { describe, expect, it } from 'vitest';
import { type CliOption, cliHelp, parseCli } from './parse-cli.js';

const spec: Record<string, CliOption> = {
  dataset: { type: 'string', help: 'dataset', choices: ['qd-emoji', 'sketchy'] },
  epochs: { type: 'string', help: 'epochs', integer: true },
  out: { type: 'string', help: 'output', value: 'DIR' },
  resume: { type: 'boolean', help: 'resume' },
};

describe('parseCli', () => {
  it('parses strings, integers and flags; a later option overrides an earlier one', () => {
    expect(
      parseCli(
        ['--dataset', 'sketchy', '--epochs', '3', '--out', 'a', '--out', 'b', '--resume'],
        spec,
      ),
    ).toEqual({
      dataset: 'sketchy',
      epochs: 3,
      out: 'b',
      resume: true,
    });
  });

  it('names an unknown option and lists the valid ones', () => {
    expect(() => parseCli(['--epoch', '3'], spec)).toThrow(
      /Unknown option '--epoch'.*Valid options: --dataset, --epochs, --out, --resume/,
    );
  });

  it('names a bad choice or a bad integer', () => {
    expect(() => parseCli(['--dataset', 'mnist'], spec)).toThrow(
      '--dataset mnist: expected one of qd-emoji, sketchy',
    );
    expect(() => parseCli(['--epochs', '2.5'], spec)).toThrow(
      '--epochs 2.5: expected a non-negative integer',
    );
    expect(() => parseCli(['--out'], spec)).toThrow(/--out/);
  });

  it('prints help with value names and choices', () => {
    const help = cliHelp('zs-sbir-train [options]', spec);
    expect(help).toContain('--dataset VALUE');
    expect(help).toContain('(qd-emoji | sketchy)');
    expect(help).toContain('--out DIR');
    expect(help).toContain('--epochs N');
  });
});
