import type { ProbeResult } from './feature-probe.js';

/**
 * A Markdown table of a probe's rows, best first: backbone (and the sketches' own weights), layer, input size, dimension, the
 * three mAP@all scores and the extraction cost in seconds per 100 images.
 */
export function probeTable(result: ProbeResult): string {
  const f = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
  const header = [
    'backbone',
    'layer',
    'size',
    'dim',
    'mAP',
    'centred',
    'image→image',
    's / 100 img',
  ];
  const lines = result.rows.map((r) => [
    r.sketchWeights ? `${r.backbone} (sketches: ${r.sketchWeights})` : r.backbone,
    r.layer,
    String(r.inputSize),
    String(r.dim),
    f(r.mAP),
    f(r.centred),
    f(r.imageToImage),
    f(r.secondsPer100, 1),
  ]);
  return [header, header.map(() => '---'), ...lines].map((c) => `| ${c.join(' | ')} |`).join('\n');
}
