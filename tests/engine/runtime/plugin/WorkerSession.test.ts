import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { WorkerSession } from '../../../../engine/runtime/plugin/WorkerSession.ts';

// The page side of the inference worker, against a stand-in Worker that answers like
// inferenceWorker.ts (the real worker runs in tests/e2e/faults.spec.ts).

interface Message {
  id: number;
  type: string;
  feeds?: Record<string, { data: Float32Array; dims: number[] }>;
}

class FakeWorker {
  static last: FakeWorker | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  terminated = false;
  /** Answer runs (off: leave them in flight). */
  answer = true;
  readonly received: Message[] = [];
  constructor(readonly url: URL) {
    FakeWorker.last = this;
  }
  postMessage(message: Message): void {
    this.received.push(message);
    const reply = (value: unknown): void => void queueMicrotask(() => this.onmessage?.({ data: { id: message.id, ok: true, value } }));
    if (message.type === 'create') reply({ backend: 'wasm', fallbackReason: null, threads: 1, inputs: [{ name: 'x', dtype: 'float32', shape: [1] }], outputs: [{ name: 'y', dtype: 'float32', shape: [1] }] });
    else if (message.type === 'run' && this.answer) reply({ y: { data: message.feeds!.x!.data.map((v) => v * 2), dims: [1] } });
    else if (message.type === 'dispose') reply(null);
  }
  terminate(): void {
    this.terminated = true;
  }
}

const realWorker = (globalThis as { Worker?: unknown }).Worker;
(globalThis as { Worker?: unknown }).Worker = FakeWorker;
afterEach(() => {
  FakeWorker.last = null;
});
afterAll(() => void ((globalThis as { Worker?: unknown }).Worker = realWorker));

describe('WorkerSession', () => {
  it('creates the session in its worker, runs copies of the feeds there, and disposes (terminating it)', async () => {
    const model = new Uint8Array([8, 1, 2, 3]);
    const session = await WorkerSession.create(model, { threads: 1 });
    const worker = FakeWorker.last!;
    expect(worker.url.pathname).toMatch(/inferenceWorker\.js$/);
    expect(Array.from(model)).toEqual([8, 1, 2, 3]); // a copy went over: the caller's bytes stay
    expect(session.inputs.map((i) => i.name)).toEqual(['x']);
    expect(session.proxied).toBe(false);
    const x = new Float32Array([1.5]);
    const out = await session.run({ x: { data: x, dims: [1] } });
    expect(Array.from(out.y!.data)).toEqual([3]);
    expect(worker.received[1]!.feeds!.x!.data).not.toBe(x); // the caller keeps its buffer
    await session.dispose();
    expect(worker.terminated).toBe(true);
    expect(session.deviceLost).toBe('disposed');
  });

  it('when the worker dies, runs in flight and after fail with worker-lost', async () => {
    const session = await WorkerSession.create(new Uint8Array([8, 0]));
    const worker = FakeWorker.last!;
    worker.answer = false;
    const inFlight = session.run({ x: { data: new Float32Array(1), dims: [1] } });
    worker.onerror!({ message: 'out of memory' });
    await expect(inFlight).rejects.toMatchObject({ code: 'worker-lost', message: expect.stringMatching(/^WorkerSession: the inference worker failed: out of memory, so the run did not finish/) });
    expect(session.deviceLost).toBe('the inference worker failed: out of memory');
    await expect(session.run({ x: { data: new Float32Array(1), dims: [1] } })).rejects.toMatchObject({ code: 'worker-lost' });
    await session.dispose();
    expect(worker.terminated).toBe(true);
  });

  it('loseDevice terminates the worker (what a crash looks like from the page)', async () => {
    const session = await WorkerSession.create(new Uint8Array([8, 0]));
    session.loseDevice('test: gone');
    expect(FakeWorker.last!.terminated).toBe(true);
    await expect(session.run({ x: { data: new Float32Array(1), dims: [1] } })).rejects.toMatchObject({ code: 'worker-lost', message: expect.stringContaining('test: gone') });
  });
});
