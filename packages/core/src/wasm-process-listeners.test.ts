import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These tests run user scripts in child processes against the BUILT package, as users get it.
const srcDir = fileURLToPath(new URL('.', import.meta.url));
const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
let scriptDir = '';

beforeAll(() => {
  const built = statSync(distEntry, { throwIfNoEntry: false });
  const newestSource = Math.max(
    ...readdirSync(srcDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => statSync(join(srcDir, f)).mtimeMs),
  );
  if (!built || built.mtimeMs < newestSource) {
    throw new Error(
      `${distEntry} is ${built ? 'older than packages/core/src' : 'missing'}: build @zs-sbir/core first (npx turbo run build --filter=@zs-sbir/core)`,
    );
  }
  scriptDir = mkdtempSync(join(tmpdir(), 'zs-sbir-wasm-exit-'));
});

afterAll(() => {
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Writes a user script that imports the built package, runs `before`, initialises the WASM
 * backend when `INIT_WASM=1` (otherwise awaits nothing, on the same line, so line numbers match)
 * and then runs `body`. Returns a function that runs it with or without WASM.
 */
function userScript(name: string, body: string, before = ''): (wasm: boolean) => Run {
  const file = join(scriptDir, name);
  writeFileSync(
    file,
    [
      `import { initBackend, tf } from ${JSON.stringify(pathToFileURL(distEntry).href)};`,
      before,
      `if (process.env.INIT_WASM === '1') await initBackend({ backend: 'wasm', env: {} }); else await Promise.resolve();`,
      body,
    ].join('\n'),
  );
  return (wasm) => {
    const run = spawnSync(process.execPath, [file], {
      encoding: 'utf8',
      env: { ...process.env, INIT_WASM: wasm ? '1' : '0', NODE_OPTIONS: '' },
      timeout: 50_000,
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
}

/** Asserts that a crash under WASM looks exactly like the same crash in plain Node. */
function expectPlainNodeCrash(name: string, run: (wasm: boolean) => Run): void {
  const plain = run(false);
  const wasm = run(true);
  expect(plain.status).toBe(1);
  expect(wasm.status).toBe(1);
  expect(wasm.stderr).not.toContain('tfjs-backend-wasm');
  // Node prints where the error was thrown, then the stack: both must name the user's script.
  const lines = wasm.stderr.split('\n');
  expect(lines[0]).toContain(name);
  expect(lines.find((line) => /^\s+at /.test(line))).toContain(name);
  expect(wasm.stderr).toBe(plain.stderr);
}

describe('the WASM backend leaves uncaught errors to Node', () => {
  it('an error thrown at top level after initBackend exits 1 with the user stack', () => {
    const name = 'throw-after-await.mjs';
    expectPlainNodeCrash(name, userScript(name, "throw new Error('user boom');"));
  });

  it('an error thrown in a timer exits 1 with the user stack', () => {
    const name = 'throw-in-timer.mjs';
    expectPlainNodeCrash(
      name,
      userScript(name, "setTimeout(() => { throw new Error('user boom'); });"),
    );
  });

  it('an unhandled rejection exits 1 as Node 20 does by default', () => {
    const name = 'unhandled-rejection.mjs';
    expectPlainNodeCrash(name, userScript(name, "Promise.reject(new Error('user reject'));"));
  });

  it("runs the user's uncaughtException handlers, added before and after, and they recover", () => {
    const run = userScript(
      'own-handlers.mjs',
      [
        "process.on('uncaughtException', (e) => console.log('after:', e.message));",
        "setTimeout(() => { throw new Error('user boom'); });",
        "setTimeout(() => console.log('still running'), 20);",
      ].join('\n'),
      "process.on('uncaughtException', (e) => console.log('before:', e.message));",
    )(true);
    expect(run).toEqual({
      status: 0,
      stdout: 'before: user boom\nafter: user boom\nstill running\n',
      stderr: '',
    });
  });

  it("keeps the user's handlers when the WASM backend is disposed", () => {
    const run = userScript(
      'handler-after-dispose.mjs',
      [
        "tf.removeBackend('wasm');",
        "console.log('listeners', process.listenerCount('uncaughtException'));",
        "setTimeout(() => { throw new Error('user boom'); });",
      ].join('\n'),
      "process.on('uncaughtException', (e) => console.log('mine:', e.message));",
    )(true);
    expect(run).toEqual({ status: 0, stdout: 'listeners 1\nmine: user boom\n', stderr: '' });
  });

  it('still computes on WASM, and an error inside a WASM kernel is a catchable JS error', () => {
    const run = userScript(
      'wasm-still-works.mjs',
      [
        'const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));',
        "console.log(tf.getBackend(), Array.from(await y.data()).join(','));",
        // 2^30 + 1024 floats wrap the 32-bit WASM allocation: the Tile kernel writes out of bounds.
        'try { tf.tile(tf.ones([1]), [2 ** 30 + 1024]); } catch (e) {',
        '  console.log(e instanceof WebAssembly.RuntimeError, e.message);',
        '}',
        "console.log(process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection'));",
      ].join('\n'),
    )(true);
    expect(run).toEqual({
      status: 0,
      stdout: 'wasm 17,39\ntrue memory access out of bounds\n0 0\n',
      stderr: '',
    });
  });
});
