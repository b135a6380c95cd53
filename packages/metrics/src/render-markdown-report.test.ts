import { describe, expect, it } from 'vitest';
import { renderMarkdownReport } from './render-markdown-report.js';
import type { RetrievalReport } from './retrieval-report.js';

const report: RetrievalReport = {
  schema: 'zs-sbir/retrieval-report',
  version: 1,
  protocol: 'voc',
  similarity: 'cosine',
  precisionDenominator: 'k',
  ks: [100, 200],
  counts: { queries: 15229, gallery: 17101, classes: 2, queriesWithoutRelevant: 3 },
  mAPAll: 0.51234,
  mAPAllClassAveraged: 0.5,
  mAPAtK: { 100: 0.6, 200: 0.55 },
  precisionAtK: { 100: 0.7, 200: 0.65 },
  perClass: [
    {
      label: 0,
      name: 'cat',
      queries: 15226,
      relevant: 40,
      mAP: 0.25,
      mAPAtK: { 100: 0.3, 200: 0.2 },
      precisionAtK: { 100: 0.1, 200: 0.05 },
    },
    {
      label: 7,
      queries: 3,
      relevant: 0,
      mAP: Number.NaN,
      mAPAtK: { 100: Number.NaN, 200: Number.NaN },
      precisionAtK: { 100: 0, 200: 0 },
    },
  ],
  prCurve: {
    raw: { recall: [0.01], precision: [1] },
    interpolated: { recall: [0, 0.5, 1], precision: [1, 0.5, 0.125] },
  },
};

describe('renderMarkdownReport', () => {
  it('renders the headline metrics, PR curve and per-class table', () => {
    expect(renderMarkdownReport(report)).toBe(
      [
        '## Retrieval: voc protocol, cosine similarity',
        '',
        '15,229 queries, 17,101 gallery items, 2 query classes (3 queries have no relevant item). P@K denominator: k. Report schema zs-sbir/retrieval-report v1.',
        '',
        '| metric | value |',
        '| --- | --- |',
        '| mAP@all | 0.5123 |',
        '| mAP@all (class-averaged) | 0.5000 |',
        '| mAP@100 | 0.6000 |',
        '| mAP@200 | 0.5500 |',
        '| P@100 | 0.7000 |',
        '| P@200 | 0.6500 |',
        '',
        '### Precision-recall (11-point interpolated)',
        '',
        '| recall | 0.0 | 0.5 | 1.0 |',
        '| --- | --- | --- | --- |',
        '| precision | 1.0000 | 0.5000 | 0.1250 |',
        '',
        '### Per class',
        '',
        '| class | queries | relevant | mAP@all | mAP@100 | mAP@200 | P@100 | P@200 |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        '| cat | 15,226 | 40 | 0.2500 | 0.3000 | 0.2000 | 0.1000 | 0.0500 |',
        '| 7 | 3 | 0 | n/a | n/a | n/a | 0.0000 | 0.0000 |',
        '',
      ].join('\n'),
    );
  });

  it('honours digits, heading level and perClass: false', () => {
    const text = renderMarkdownReport(report, { digits: 2, headingLevel: 1, perClass: false });
    expect(text.startsWith('# Retrieval')).toBe(true);
    expect(text).toContain('| mAP@all | 0.51 |');
    expect(text).not.toContain('Per class');
  });

  it('refuses unknown options', () => {
    expect(() => renderMarkdownReport(report, { decimals: 2 } as never)).toThrow(
      /unknown option 'decimals'/,
    );
  });
});
