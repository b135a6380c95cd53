import { describe, expect, it } from 'vitest';
import { graphNodeNames, resolveGraphNode } from './graph-feature-model.js';

// A TF Hub-like GraphDef: two blocks under a long prefix, the second with a residual add.
const P = 'Call/predict/Net';
const node = (name: string, op: string, ...input: string[]) => ({ name, op, input });
const topology = {
  node: [
    node('input', 'Placeholder'),
    node(`${P}/block_1/conv/weights`, 'Const'),
    node(`${P}/block_1/conv/Relu6`, '_FusedConv2D', 'input', `${P}/block_1/conv/weights`),
    node(`${P}/block_1/project/BatchNorm`, '_FusedConv2D', `${P}/block_1/conv/Relu6`),
    node(`${P}/block_2/conv/Relu6`, '_FusedConv2D', `${P}/block_1/project/BatchNorm`),
    node(`${P}/block_2/project/BatchNorm`, '_FusedConv2D', `${P}/block_2/conv/Relu6`),
    node(
      `${P}/block_2/add`,
      'AddV2',
      `${P}/block_1/project/BatchNorm:0`,
      `${P}/block_2/project/BatchNorm`,
    ),
    node(`${P}/pool/Mean`, 'Mean', `${P}/block_2/add`),
  ],
};

describe('resolveGraphNode', () => {
  it('takes full names, unique name ends, and a scope at its output', () => {
    expect(resolveGraphNode(topology, 'input', 'g')).toBe('input');
    expect(resolveGraphNode(topology, 'block_2/conv/Relu6', 'g')).toBe(`${P}/block_2/conv/Relu6`);
    // block_1's output is the node block_2 reads, not its last-listed or its Relu6.
    expect(resolveGraphNode(topology, 'block_1', 'g')).toBe(`${P}/block_1/project/BatchNorm`);
    expect(resolveGraphNode(topology, 'block_2', 'g')).toBe(`${P}/block_2/add`);
  });

  it('rejects ambiguous names and lists the closest valid ones for unknown names', () => {
    // 'conv' is a scope in both blocks: two outputs.
    expect(() => resolveGraphNode(topology, 'conv', 'g/model.json')).toThrow(
      /g\/model.json: option 'layer' 'conv' is ambiguous \(a scope with 2 outputs\)/,
    );
    expect(() => resolveGraphNode(topology, 'Relu6', 'g')).toThrow(/ends 2 node names/);
    expect(() => resolveGraphNode(topology, 'block_3', 'g/model.json')).toThrow(
      /g\/model.json has no node or scope 'block_3' \(option 'layer'\); closest: block_1, block_2,/,
    );
    expect(graphNodeNames(topology)).not.toContain(`${P}/block_1/conv/weights`);
  });
});
