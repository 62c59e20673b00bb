import { NextframeError, type Backend, type Feed, type Fetched, type ModelSession, type OrtSessionOptions, type TensorInfo } from '../../../worldmodel/index.ts';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  code?: string | null;
  message?: string;
}

interface Created {
  backend: Backend;
  fallbackReason: string | null;
  threads: number;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/**
 * A model session in a worker the engine owns (WASM, threads when the page is cross-origin
 * isolated): runs never block the page, and when the worker dies (it crashed, ran out of memory,
 * was terminated) every run in flight and after fails with `worker-lost`, and the plug-in makes a
 * new one from the model bytes the page kept (`WorldModel.switchToWasm`): the world's history and
 * memory never left the page. Pass `WorkerSession.create` as `createSession` to `WorldModel.load`
 * or `loadCachedModel`.
 */
export class WorkerSession implements ModelSession {
  readonly backend: Backend;
  readonly fallbackReason: string | null;
  readonly threads: number;
  /** The page keeps its model bytes (the worker gets a copy), so a new worker can be made. */
  readonly proxied = false;
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  private readonly worker: Worker;
  private readonly pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
  private nextId: number;
  private lost: string | null = null;

  private constructor(worker: Worker, pending: WorkerSession['pending'], nextId: number, created: Created) {
    this.worker = worker;
    this.pending = pending;
    this.nextId = nextId;
    this.backend = created.backend;
    this.fallbackReason = created.fallbackReason;
    this.threads = created.threads;
    this.inputs = created.inputs;
    this.outputs = created.outputs;
    worker.onmessage = (event: MessageEvent<Reply>) => settle(this.pending, event.data);
    worker.onerror = (event) => this.die(`the inference worker failed: ${event.message || 'an uncaught error'}`);
    worker.onmessageerror = () => this.die('the inference worker sent a message that could not be read');
  }

  /** Start a worker and make the session there from `model` (a copy is sent; `model` stays the caller's). */
  static async create(model: Uint8Array, options: OrtSessionOptions = {}): Promise<WorkerSession> {
    const worker = new Worker(new URL('./inferenceWorker.js', import.meta.url), { type: 'module', name: 'nextframe-inference' });
    const pending: WorkerSession['pending'] = new Map();
    worker.onmessage = (event: MessageEvent<Reply>) => settle(pending, event.data);
    const failed = new Promise<never>((_, reject) => {
      worker.onerror = (event) => reject(new NextframeError('worker-lost', `WorkerSession: the inference worker did not start (${event.message || 'it failed to load'}). Check that the page may start module workers.`));
    });
    const copy = model.slice();
    const options1 = options.threads !== undefined ? { threads: options.threads } : {};
    try {
      const created = (await Promise.race([call(worker, pending, 0, { type: 'create', model: copy, options: options1 }, [copy.buffer]), failed])) as Created;
      return new WorkerSession(worker, pending, 1, created);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  get deviceLost(): string | null {
    return this.lost;
  }

  run(feeds: Record<string, Feed>): Promise<Fetched> {
    if (this.lost !== null) return Promise.reject(this.lostError());
    // Copies go over (transferred), so callers keep reusing their buffers.
    const copies: Record<string, Feed> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, feed] of Object.entries(feeds)) {
      const data = feed.data.slice();
      copies[name] = { data, dims: [...feed.dims] };
      transfer.push(data.buffer);
    }
    return call(this.worker, this.pending, this.nextId++, { type: 'run', feeds: copies }, transfer) as Promise<Fetched>;
  }

  /** Test hook, and what a crash looks like from here: the worker is terminated mid-play. */
  loseDevice(reason = 'the inference worker was terminated'): void {
    this.worker.terminate();
    this.die(reason);
  }

  async dispose(): Promise<void> {
    if (this.lost === null) {
      await call(this.worker, this.pending, this.nextId++, { type: 'dispose' }, []).catch(() => undefined);
      this.lost = 'disposed';
    }
    this.worker.terminate();
  }

  private die(reason: string): void {
    if (this.lost !== null) return;
    this.lost = reason;
    const error = this.lostError();
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  private lostError(): NextframeError {
    return new NextframeError('worker-lost', `WorkerSession: ${this.lost}, so the run did not finish. Make a new session (WorldModel.switchToWasm, which the plug-in does by itself) or reload the page.`);
  }
}

function call(worker: Worker, pending: WorkerSession['pending'], id: number, message: Record<string, unknown>, transfer: Transferable[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, ...message }, transfer);
  });
}

function settle(pending: WorkerSession['pending'], reply: Reply): void {
  const waiter = pending.get(reply.id);
  if (!waiter) return;
  pending.delete(reply.id);
  if (reply.ok) waiter.resolve(reply.value);
  else waiter.reject(new NextframeError(reply.code ?? 'model-load-failed', reply.message ?? 'WorkerSession: the inference worker failed.'));
}
