/**
 * The process-wide listeners that `@tensorflow/tfjs-backend-wasm` 4.22.0 adds in Node, and their
 * removal.
 *
 * Its Emscripten glue (`dist/tf-backend-wasm.node.js`), each time it instantiates the WASM
 * module, runs `process.on('uncaughtException', ex => { if (!(ex instanceof ExitStatus)) throw ex })`
 * and `process.on('unhandledRejection', reason => { throw reason })`. A listener that throws makes
 * Node exit with code 7 ("internal exception handler run-time failure") and point at the glue's
 * `throw` line instead of the user's; a user's own handler added before it runs but cannot keep
 * the process alive, one added after it never runs. The glue also wraps the module's `_dispose`
 * to remove "the listeners it added", but a precedence bug (`!list.indexOf(l) > -1` is always
 * true) makes that remove every listener present at load time, the user's own included, when the
 * backend is disposed.
 */

/** The process events the glue listens to. */
const EVENTS = ['uncaughtException', 'unhandledRejection'];

/**
 * Runs `load` (which initialises the WASM backend) and then removes the `uncaughtException` and
 * `unhandledRejection` listeners added while it ran, and only those, whether `load` resolved or
 * threw. Listeners present before are left in place, in order; a listener that other code adds
 * while `load` is pending is removed too, so `load` should only initialise the backend.
 *
 * @returns what `load` returned.
 */
export async function withoutAddedProcessListeners<T>(load: () => Promise<T>): Promise<T> {
  // Typed as a plain emitter: Node's typings for `process` only take one event name at a time.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EVENTS.map((event) => [event, emitter.listeners(event)]));
  try {
    return await load();
  } finally {
    for (const event of EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.includes(listener)) {
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    }
  }
}

/** The part of the WASM backend object that {@link keepProcessListenersOnDispose} touches. */
interface WasmModuleHolder {
  wasm?: { asm?: { dispose?: () => void }; tfjs?: { dispose?: () => void } } | null;
}

/**
 * Makes disposing the WASM backend (`tf.removeBackend('wasm')`, `tf.engine().reset()`) leave
 * process listeners alone: points the backend's `dispose` at the WASM export itself instead of the
 * glue's wrapper, which removes every listener that existed when the module loaded. Does nothing
 * when `backend` is not a WASM backend of that shape.
 */
export function keepProcessListenersOnDispose(backend: unknown): void {
  const wasm = (backend as WasmModuleHolder | null)?.wasm;
  const exported = wasm?.asm?.dispose;
  if (!wasm?.tfjs || typeof exported !== 'function') return;
  wasm.tfjs.dispose = () => exported();
}
