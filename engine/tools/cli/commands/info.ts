import type { Command } from 'commander';
import { WorldModel } from '../../../../worldmodel/index.ts';
import { emit } from '../output.ts';

/** `nextframe info MODEL`: what a model is, what it takes, and whether the runtime accepts it. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('load a model folder, validate manifest against the ONNX graph, and describe it')
    .argument('<model>', 'model folder (with manifest.json and model.onnx) or manifest path/URL')
    .option('--json', 'print JSON instead of text')
    .action(async (location: string, options: { json?: boolean }) => {
      const model = await WorldModel.load(location, { device: 'wasm' });
      const m = model.manifest;
      const result = {
        id: m.id,
        version: m.version,
        description: m.description,
        resolution: m.resolution,
        contextFrames: m.contextFrames,
        tickHz: m.tickHz,
        actions: m.actions.map((a) => a.name),
        conditioning: m.conditioning,
        inputs: m.inputs,
        outputs: m.outputs,
        sampler: m.sampler,
        architecture: m.architecture,
        training: m.training,
        metrics: m.metrics,
        backend: model.backend,
        valid: true,
      };
      await model.dispose();
      emit(Boolean(options.json), result, () =>
        [
          `${m.id} ${m.version}: ${m.description}`,
          `  resolution   ${m.resolution.width}×${m.resolution.height}, context ${m.contextFrames} frames, ${m.tickHz} Hz`,
          `  actions      ${m.actions.map((a) => `${a.name} (${a.unit})`).join(', ')}`,
          `  conditioning ${m.conditioning.join(', ')}`,
          `  inputs       ${m.inputs.map((i) => `${i.name}[${i.shape.join(',')}]`).join(' ')}`,
          `  sampler      ${m.sampler.method}, ${m.sampler.steps} steps, σ ${m.sampler.sigmaMax} → ${m.sampler.sigmaMin}`,
          `  params       ${String(m.architecture.params ?? 'unknown')}, FLOPs/step ${String(m.architecture.flopsPerStep ?? 'unknown')}`,
          `  training     ${m.training ? `${m.training.steps} steps on ${m.training.hardware}` : 'none (random weights)'}`,
          '  manifest and ONNX graph agree; onnxruntime-web (wasm) loads it.',
        ].join('\n'),
      );
    });
}
