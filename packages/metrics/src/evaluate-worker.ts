/**
 * Worker thread entry of {@link evaluateRetrieval}: receives the shared block configuration once,
 * then evaluates one block of queries per message. Built as its own tsup entry
 * (`dist/evaluate-worker.js`).
 */
import { parentPort } from 'node:worker_threads';
import {
  type BlockConfig,
  type BlockScratch,
  type BlockTask,
  createBlockScratch,
  evaluateBlock,
} from './evaluate-block.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

const port = parentPort;
if (!port) throw new Error('evaluate-worker must run in a worker thread');

let config: BlockConfig | undefined;
let scratch: BlockScratch | undefined;

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'init') {
    config = message.config;
    scratch = createBlockScratch(message.config, message.maxCount, message.slot);
    return;
  }
  let reply: WorkerReply;
  try {
    if (!config || !scratch) throw new Error('evaluate-worker received a block before its config');
    const result = evaluateBlock(config, message.task as BlockTask, scratch);
    reply = { type: 'result', result };
    // Copied, not transferred: a block's results are small, and detaching an ArrayBuffer in this
    // thread would make V8 throw away all its optimized code (the detach protector) and warm up
    // again.
    port.postMessage(reply);
  } catch (err) {
    reply = { type: 'error', name: (err as Error).name, message: (err as Error).message };
    port.postMessage(reply);
  }
});
