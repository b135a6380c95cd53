/**
 * Thrown when a backbone cannot be built, loaded or run: an unknown name or option, a weight file
 * that cannot be read, an input of the wrong shape, a missing optional engine. The message names
 * the file or option at fault and what was expected.
 */
export class BackboneError extends Error {
  override name = 'BackboneError';
}

/** One difference between a weight file and the network it is loaded into. */
export interface WeightMismatch {
  /** The tensor's name, as written in the file (e.g. `features.0.weight`). */
  name: string;
  /** `missing`: the network needs it, the file lacks it; `unexpected`: the reverse. */
  kind: 'missing' | 'unexpected' | 'shape';
  /** Shape the network expects, in the file's own layout (absent for `unexpected`). */
  expected?: number[];
  /** Shape found in the file (absent for `missing`). */
  found?: number[];
}

/** How many mismatches a {@link WeightMismatchError} message lists. */
const LISTED = 8;

function describe(m: WeightMismatch): string {
  switch (m.kind) {
    case 'missing':
      return `${m.name}: missing (expected shape [${m.expected?.join(', ')}])`;
    case 'unexpected':
      return `${m.name}: not part of this network (shape [${m.found?.join(', ')}])`;
    default:
      return `${m.name}: shape [${m.found?.join(', ')}], expected [${m.expected?.join(', ')}]`;
  }
}

/**
 * Thrown when a weight file's tensor names or shapes do not match the network: the message lists
 * the first mismatches, {@link WeightMismatchError.mismatches} holds them all.
 */
export class WeightMismatchError extends BackboneError {
  override name = 'WeightMismatchError';

  constructor(
    /** The weight file. */
    readonly file: string,
    /** The network it was loaded into, e.g. `vgg16`. */
    readonly network: string,
    /** Every mismatch found. */
    readonly mismatches: WeightMismatch[],
  ) {
    const first = mismatches.slice(0, LISTED).map((m) => `  ${describe(m)}`);
    const more = mismatches.length > LISTED ? [`  ... and ${mismatches.length - LISTED} more`] : [];
    super(
      `${file} does not match ${network}: ${mismatches.length} mismatch(es)\n${[...first, ...more].join('\n')}`,
    );
  }
}
