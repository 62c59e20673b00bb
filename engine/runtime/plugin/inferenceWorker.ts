// The inference worker `WorkerSession` starts: one OrtSession (WASM) off the page's main thread.
// It holds no world state: the model's history and memory stay with the page, so a new worker
// needs only the model bytes to take over.
import { NextframeError, OrtSession, type Feed, type OrtSessionOptions } from '../../../worldmodel/index.ts';

type Request =
  | { id: number; type: 'create'; model: Uint8Array; options: OrtSessionOptions }
  | { id: number; type: 'run'; feeds: Record<string, Feed> }
  | { id: number; type: 'dispose' };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};
let session: OrtSession | null = null;

scope.onmessage = (event) => void handle(event.data);

async function handle(request: Request): Promise<void> {
  const { id } = request;
  try {
    if (request.type === 'create') {
      session = await OrtSession.create(request.model, { ...request.options, device: 'wasm', proxy: false });
      const { backend, fallbackReason, threads, inputs, outputs } = session;
      scope.postMessage({ id, ok: true, value: { backend, fallbackReason, threads, inputs, outputs } });
    } else if (request.type === 'run') {
      if (!session) throw new NextframeError('not-ready', 'inferenceWorker: run before the session was created.');
      const fetched = await session.run(request.feeds);
      scope.postMessage({ id, ok: true, value: fetched }, Object.values(fetched).map((f) => f.data.buffer as ArrayBuffer));
    } else {
      await session?.dispose();
      session = null;
      scope.postMessage({ id, ok: true, value: null });
    }
  } catch (error) {
    scope.postMessage({ id, ok: false, code: error instanceof NextframeError ? error.code : null, message: error instanceof Error ? error.message : String(error) });
  }
}
