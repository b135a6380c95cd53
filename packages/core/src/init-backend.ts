import { cpus } from 'node:os';
import {
  installBatchMatMulGradient,
  isBatchMatMulGradientInstalled,
} from './batch-mat-mul-gradient.js';
import { installGatherGradient, isGatherGradientInstalled } from './gather-gradient.js';
import { tf } from './tf.js';
import { installWasmConvGradients } from './wasm-conv-gradients.js';
import {
  keepProcessListenersOnDispose,
  withoutAddedProcessListeners,
} from './wasm-process-listeners.js';

/** The backends {@link initBackend} can pick, by the name `ZS_SBIR_BACKEND` and options use. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backend names accepted by `ZS_SBIR_BACKEND` and {@link InitBackendOptions.backend}. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** A candidate that was not used, and why. */
export interface SkippedBackend {
  backend: BackendName;
  /** The npm package that provides it. */
  package: string;
  reason: string;
}

/** What {@link initBackend} chose; apps print it. */
export interface BackendReport {
  /** TensorFlow.js's name for the active backend. */
  backend: BackendName;
  /** The npm package that provides it. */
  package: string;
  /** True for libtensorflow (native code), false for WASM and pure JS. */
  native: boolean;
  /** True when computation runs on a GPU. */
  gpu: boolean;
  /** WASM SIMD in use; null for backends where it does not apply. */
  simd: boolean | null;
  /** Threads the backend computes with; null when the backend decides for itself. */
  threads: number | null;
  /** Whether the explicit-transpose `BatchMatMul` gradient is installed. */
  batchMatMulGradientFix: boolean;
  /** Whether the `GatherV2` gradient without `UnsortedSegmentSum` (missing on WASM) is installed. */
  gatherGradientFix: boolean;
  /** How the backend was chosen. */
  chosenBy: 'auto' | 'option' | 'environment';
  /** Versions of TensorFlow.js packages and Node.js. */
  versions: Record<string, string>;
  /** Logical CPU cores on this machine. */
  cpuCores: number;
  /** Every candidate tried before the chosen one, with the reason it was skipped. */
  skipped: SkippedBackend[];
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Force a backend; default: `ZS_SBIR_BACKEND` when set, otherwise the first that loads of
   * native GPU, native CPU, WASM, pure JS cpu. A forced backend that cannot load is an error.
   */
  backend?: BackendName | 'auto';
  /**
   * Install the explicit-transpose `BatchMatMul` gradient when the WASM backend is chosen
   * (7x faster training steps there); default true.
   */
  batchMatMulGradientFix?: boolean;
  /** Environment to read `ZS_SBIR_BACKEND` from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Thrown when a forced backend cannot load, or the requested name is unknown. */
export class BackendError extends Error {
  override name = 'BackendError';
}

interface Loaded {
  package: string;
  native: boolean;
  gpu: boolean;
  simd: boolean | null;
  threads: number | null;
  versions: Record<string, string>;
}

function describeLoadError(pkg: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (
    (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') &&
    String(e.message).includes(pkg)
  ) {
    return `${pkg} is not installed`;
  }
  return `${pkg} failed to load: ${e.message ?? String(err)}`;
}

async function importOptional(pkg: string): Promise<Record<string, unknown>> {
  // A variable specifier keeps bundlers from resolving optional packages at build time.
  const specifier = pkg;
  return (await import(specifier)) as Record<string, unknown>;
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

async function loadNative(pkg: string, gpu: boolean): Promise<Loaded> {
  const mod = await importOptional(pkg);
  await activate('tensorflow');
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  return {
    package: pkg,
    native: true,
    gpu: gpu && backend.isUsingGpuDevice !== false,
    simd: null,
    threads: null,
    versions: { [pkg]: String((mod.version as Record<string, string>)?.['tfjs-node'] ?? '') },
  };
}

async function loadWasm(): Promise<Loaded> {
  const pkg = '@tensorflow/tfjs-backend-wasm';
  const mod = await importOptional(pkg);
  // The Emscripten glue adds process listeners that rethrow every uncaught error (exit code 7).
  await withoutAddedProcessListeners(() => activate('wasm'));
  keepProcessListenersOnDispose(tf.backend());
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return {
    package: pkg,
    native: false,
    gpu: false,
    simd,
    threads: threaded ? cpus().length : 1,
    versions: { [pkg]: String(mod.version_wasm ?? '') },
  };
}

async function loadCpu(): Promise<Loaded> {
  await activate('cpu');
  // The cpu backend prints advice to install tfjs-node on first use; a library must not print.
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  return {
    package: '@tensorflow/tfjs-backend-cpu',
    native: false,
    gpu: false,
    simd: null,
    threads: 1,
    versions: {},
  };
}

interface Candidate {
  backend: BackendName;
  package: string;
  load: () => Promise<Loaded>;
}

const CANDIDATES: Candidate[] = [
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    load: () => loadNative('@tensorflow/tfjs-node-gpu', true),
  },
  {
    backend: 'tensorflow',
    package: '@tensorflow/tfjs-node',
    load: () => loadNative('@tensorflow/tfjs-node', false),
  },
  { backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm', load: loadWasm },
  { backend: 'cpu', package: '@tensorflow/tfjs-backend-cpu', load: loadCpu },
];

function requested(options: InitBackendOptions): {
  name: BackendName | 'auto';
  chosenBy: BackendReport['chosenBy'];
} {
  const env = options.env ?? process.env;
  const fromEnv = env.ZS_SBIR_BACKEND?.trim();
  const name = options.backend ?? (fromEnv ? fromEnv : 'auto');
  const chosenBy = options.backend ? 'option' : fromEnv ? 'environment' : 'auto';
  if (name !== 'auto' && !BACKEND_NAMES.includes(name as BackendName)) {
    const source = chosenBy === 'environment' ? 'ZS_SBIR_BACKEND' : 'options.backend';
    throw new BackendError(
      `${source} is '${name}': expected one of ${BACKEND_NAMES.join(', ')} (or auto)`,
    );
  }
  return { name: name as BackendName | 'auto', chosenBy };
}

/**
 * Picks and activates a TensorFlow.js backend, in order of preference: `@tensorflow/tfjs-node-gpu`
 * (if installed and it loads), `@tensorflow/tfjs-node`, WASM with SIMD, pure JS cpu.
 *
 * `ZS_SBIR_BACKEND=tensorflow|wasm|cpu` or `options.backend` forces one; a forced backend that
 * cannot load throws a {@link BackendError} saying why, never falls back silently. Calling it
 * again switches backend (tensors made before belong to the old one).
 *
 * @returns a description of the chosen backend and of every candidate skipped before it.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const { name, chosenBy } = requested(options);
  const candidates = name === 'auto' ? CANDIDATES : CANDIDATES.filter((c) => c.backend === name);
  const skipped: SkippedBackend[] = [];
  for (const candidate of candidates) {
    let loaded: Loaded;
    try {
      loaded = await candidate.load();
    } catch (err) {
      skipped.push({
        backend: candidate.backend,
        package: candidate.package,
        reason: describeLoadError(candidate.package, err),
      });
      continue;
    }
    if (candidate.backend === 'wasm') {
      if (options.batchMatMulGradientFix !== false) installBatchMatMulGradient();
      installGatherGradient();
      installWasmConvGradients();
    }
    return {
      backend: candidate.backend,
      package: loaded.package,
      native: loaded.native,
      gpu: loaded.gpu,
      simd: loaded.simd,
      threads: loaded.threads,
      batchMatMulGradientFix: isBatchMatMulGradientInstalled(),
      gatherGradientFix: isGatherGradientInstalled(),
      chosenBy,
      versions: { ...tfVersions(), ...loaded.versions, node: process.versions.node },
      cpuCores: cpus().length,
      skipped,
    };
  }
  const why = skipped.map((s) => `${s.package}: ${s.reason}`).join('; ');
  throw new BackendError(
    name === 'auto'
      ? `No TensorFlow.js backend could load (${why})`
      : `Backend '${name}' was requested (${chosenBy === 'environment' ? 'ZS_SBIR_BACKEND' : 'options.backend'}) but cannot load: ${why}`,
  );
}

function tfVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tf.version)) out[`@tensorflow/${k}`] = String(v);
  return out;
}

/** Formats a {@link BackendReport} as the lines an app prints at start. */
export function formatBackendReport(report: BackendReport): string {
  const kind = report.gpu
    ? 'GPU'
    : report.native
      ? 'native CPU'
      : report.backend === 'wasm'
        ? 'WASM'
        : 'pure JS';
  const lines = [
    `backend: ${report.backend} (${kind}) from ${report.package}, chosen ${report.chosenBy === 'auto' ? 'automatically' : `by ${report.chosenBy}`}`,
    `  simd: ${report.simd === null ? 'n/a' : report.simd ? 'on' : 'off'}, threads: ${report.threads ?? 'backend default'}, cpu cores: ${report.cpuCores}, BatchMatMul gradient fix: ${report.batchMatMulGradientFix ? 'on' : 'off'}`,
  ];
  for (const s of report.skipped) lines.push(`  skipped ${s.package}: ${s.reason}`);
  lines.push(
    `  versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}
