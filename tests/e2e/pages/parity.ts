// Browser half of the parity test: run the fixture through the project's ORT boundary on the
// requested device and compare each reference case with PyTorch's output.
import { OrtSession, type Device } from '../../../worldmodel/index.ts';
import { maxAbsDiff, readReference, type ReferenceIndex } from '../../support/reference.ts';

async function runParity(fixture: string, device: Device): Promise<{ backend: string; fallbackReason: string | null; cases: { name: string; maxAbsDiff: number; ms: number }[] }> {
  const [model, index, bin] = await Promise.all([
    fetch(`${fixture}model.onnx`).then((r) => r.arrayBuffer()),
    fetch(`${fixture}reference.json`).then((r) => r.json() as Promise<ReferenceIndex>),
    fetch(`${fixture}reference.bin`).then((r) => r.arrayBuffer()),
  ]);
  const session = await OrtSession.create(new Uint8Array(model), { device });
  const cases = [];
  for (const c of readReference(index, bin)) {
    const started = performance.now();
    const out = await session.run(c.inputs);
    cases.push({ name: c.name, maxAbsDiff: maxAbsDiff(out.denoised!.data, c.outputs.denoised!.data), ms: performance.now() - started });
  }
  const result = { backend: session.backend, fallbackReason: session.fallbackReason, cases };
  await session.dispose();
  return result;
}

(window as unknown as { runParity: typeof runParity }).runParity = runParity;
document.body.dataset.ready = 'true';
