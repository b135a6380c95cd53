import type { BlockConfig, BlockResult, BlockTask } from './evaluate-block.js';

/** Messages from {@link evaluateRetrieval} to its workers. */
export type WorkerRequest =
  | { type: 'init'; config: BlockConfig; maxCount: number; slot: number }
  | { type: 'task'; task: BlockTask };

/** Messages from a worker back. */
export type WorkerReply =
  | { type: 'result'; result: BlockResult }
  | { type: 'error'; name: string; message: string };
