import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ConfigError, DataError } from '@musicrec/core';

export type OnnxProvider = 'cuda' | 'webgpu' | 'cpu';
export type OnnxInferenceLabel = 'onnx-cuda' | 'onnx-webgpu' | 'onnx-cpu';

/** DESIGN.md's order: CUDA when its libraries were installed, then WebGPU, then CPU. */
export const ONNX_PROVIDER_ORDER: readonly OnnxProvider[] = ['cuda', 'webgpu', 'cpu'];

export interface OnnxScorerOptions {
  /** Providers to try, in order; default ONNX_PROVIDER_ORDER. */
  providers?: OnnxProvider[];
  /** onnxruntime log level while creating and running (0 verbose … 4 fatal); default 3 (errors). */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** CPU threads one session run may use; default onnxruntime's (one per core). */
  intraOpNumThreads?: number;
  /**
   * Whether idle intra-op threads spin waiting for work; default false. Measured on 2 cores with
   * a 1,892-user × 17,632-item dot-product graph, one user per request: with spinning the p99 was
   * 4.6 ms against a p50 of 0.2 ms (spinning workers compete with the caller for the cores);
   * without, 0.4 ms at the same p50. One thread also removes the tail, but in the Spotify bench
   * it cut NeuMF's batch throughput from 668 to 257 users/s and raised its p50 from 1.2 to 4.5 ms.
   */
  allowSpinning?: boolean;
}

/** A provider that could not create a session, and why. */
export interface ProviderFailure {
  provider: OnnxProvider;
  error: string;
}

/** What every session here carries: the onnxruntime session, the provider that loaded it, the failures before it. */
export abstract class ProviderSession {
  protected readonly session: ort.InferenceSession;
  readonly provider: OnnxProvider;
  readonly tried: readonly ProviderFailure[];
  protected readonly logSeverityLevel: 0 | 1 | 2 | 3 | 4;

  protected constructor(opened: OpenedSession) {
    this.session = opened.session;
    this.provider = opened.provider;
    this.tried = opened.tried;
    this.logSeverityLevel = opened.logSeverityLevel;
  }

  /** The report row's `inference` label. */
  get inference(): OnnxInferenceLabel {
    return `onnx-${this.provider}`;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * An onnxruntime session over a scorer graph (input int64 user indices [batch], output
 * float32 scores [batch, nItems], as written by models-neural's exporters).
 *
 * Each provider gets its own `InferenceSession.create` in turn (`openSession`); the first that
 * works is kept (`provider`), the failures are kept in `tried` for the report.
 *
 * ```ts
 * const scorer = await OnnxScorer.create('model.onnx');
 * const scores = await scorer.scoreUsers(Int32Array.of(0, 5)); // 2 × nItems
 * console.log(scorer.inference, scorer.tried);
 * ```
 */
export class OnnxScorer extends ProviderSession {
  static async create(model: Uint8Array | string, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    return new OnnxScorer(await openSession(model, options, { inputs: 1, outputs: 1, what: 'one input (user indices) and one output (scores)' }));
  }

  get inputName(): string {
    return this.session.inputNames[0];
  }

  get outputName(): string {
    return this.session.outputNames[0];
  }

  /** Scores of every item for each user, row-major users.length × nItems. */
  async scoreUsers(users: Int32Array): Promise<Float32Array> {
    if (users.length === 0) return new Float32Array(0);
    return this.scoreInput(int64Users(users), [users.length], `scoring users [${preview(users)}]`);
  }

  /**
   * Scores for an int64 input of any shape whose first axis is the batch, e.g. SASRec's
   * left-padded history windows [batch, maxLen]: row-major batch × nItems.
   */
  async scoreInput(data: BigInt64Array, dims: readonly number[], what = `scoring a [${dims.join(', ')}] input`): Promise<Float32Array> {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new ConfigError(`OnnxScorer: input has ${data.length} values, dims [${dims.join(', ')}] need ${size}`);
    const feeds = { [this.inputName]: new ort.Tensor('int64', data, [...dims]) };
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds, { logSeverityLevel: this.logSeverityLevel });
    } catch (e) {
      throw new ConfigError(`OnnxScorer (${this.provider}): ${what} failed: ${(e as Error).message.split('\n')[0]}`);
    }
    const scores = out[this.outputName];
    if (scores.type !== 'float32') throw new DataError(`scorer output "${this.outputName}" is ${scores.type}, expected float32`);
    return scores.data as Float32Array;
  }

  /** Like `scoreUsers`, in runs of at most `batchSize` users (bounds the output tensor), into `out` when given. */
  async scoreUsersBatched(users: Int32Array, nItems: number, batchSize = 256, out?: Float32Array): Promise<Float32Array> {
    const result = out ?? new Float32Array(users.length * nItems);
    if (result.length !== users.length * nItems) throw new ConfigError(`scoreUsersBatched: out has ${result.length} values, expected ${users.length} × ${nItems}`);
    for (let start = 0; start < users.length; start += batchSize) {
      const batch = users.subarray(start, Math.min(users.length, start + batchSize));
      const scores = await this.scoreUsers(batch);
      if (scores.length !== batch.length * nItems) {
        throw new ConfigError(`scoreUsersBatched: the model returned ${scores.length / batch.length} scores per user, expected nItems = ${nItems}`);
      }
      result.set(scores, start * nItems);
    }
    return result;
  }
}

/** A session on the first provider that loads the model, the failures before it, and the log level it runs with. */
export interface OpenedSession {
  session: ort.InferenceSession;
  provider: OnnxProvider;
  tried: ProviderFailure[];
  logSeverityLevel: 0 | 1 | 2 | 3 | 4;
}

/**
 * Opens `model` on each provider of `options.providers` (default ONNX_PROVIDER_ORDER) in turn
 * until one works. onnxruntime-node does not fall back by itself: a session created with
 * ['cuda', 'cpu'] on a machine without the CUDA provider throws. A session whose input and
 * output counts are not `io`'s is a DataError, not a provider failure.
 */
export async function openSession(
  model: Uint8Array | string,
  options: OnnxScorerOptions,
  io: { inputs: number; outputs: number; what: string },
): Promise<OpenedSession> {
  const providers = options.providers ?? [...ONNX_PROVIDER_ORDER];
  if (providers.length === 0) throw new ConfigError('OnnxScorer: providers is empty');
  for (const p of providers) {
    if (!ONNX_PROVIDER_ORDER.includes(p)) throw new ConfigError(`OnnxScorer: unknown provider "${p}" (known: ${ONNX_PROVIDER_ORDER.join(', ')})`);
  }
  const bytes = typeof model === 'string' ? await readModelFile(model) : model;
  const logSeverityLevel = options.logSeverityLevel ?? 3;
  const { intraOpNumThreads } = options;
  if (intraOpNumThreads !== undefined && !(Number.isInteger(intraOpNumThreads) && intraOpNumThreads >= 1)) {
    throw new ConfigError(`OnnxScorer: intraOpNumThreads must be an integer >= 1, got ${intraOpNumThreads}`);
  }
  // session config entry (onnxruntime's session_options_config_keys): "0" = idle workers block
  const spinning = { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } };
  const tried: ProviderFailure[] = [];
  for (const provider of providers) {
    const absent = provider === 'cuda' ? missingCudaProvider() : undefined;
    if (absent) {
      tried.push({ provider, error: absent });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: [provider], logSeverityLevel, ...(intraOpNumThreads ? { intraOpNumThreads } : {}), extra: spinning });
      if (session.inputNames.length !== io.inputs || session.outputNames.length !== io.outputs) {
        await session.release();
        throw new DataError(`expected ${io.what}, got inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]`, {
          file: typeof model === 'string' ? model : undefined,
        });
      }
      return { session, provider, tried, logSeverityLevel };
    } catch (e) {
      if (e instanceof DataError) throw e;
      tried.push({ provider, error: (e as Error).message.split('\n')[0] });
    }
  }
  throw new ConfigError(`OnnxScorer: no execution provider could load the model: ${tried.map((t) => `${t.provider}: ${t.error}`).join('; ')}`);
}

/**
 * Why the CUDA execution provider cannot load, when its library is not installed next to
 * onnxruntime-node's binding (the default here: `.npmrc` skips the download). Checked before
 * `InferenceSession.create`, which would fail the same way after printing an error line to
 * stderr on every session. With the library present, the session is attempted as usual.
 */
export function missingCudaProvider(bindingDir = onnxruntimeBindingDir()): string | undefined {
  const file = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (existsSync(join(bindingDir, file))) return undefined;
  return `${file} is not installed in ${bindingDir} (onnxruntime-node was installed without its CUDA provider; see @musicrec/retrieval's README, "GPU")`;
}

/** The folder of onnxruntime-node's native binding, where its provider libraries live. */
function onnxruntimeBindingDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/** User indices as the int64 [batch] input every scorer graph takes. */
export function int64Users(users: Int32Array): BigInt64Array {
  const ids = new BigInt64Array(users.length);
  for (let b = 0; b < users.length; b++) ids[b] = BigInt(users[b]);
  return ids;
}

export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new DataError(`cannot read ONNX model: ${(e as Error).message}`, { file: path });
  }
}

function preview(users: Int32Array): string {
  const shown = Array.from(users.subarray(0, 5)).join(', ');
  return users.length > 5 ? `${shown}, … (${users.length} users)` : shown;
}
