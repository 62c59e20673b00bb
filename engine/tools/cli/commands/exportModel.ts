import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { NextframeError, WorldModel } from '../../../../worldmodel/index.ts';
import { emit } from '../output.ts';
import { findPython, repoRoot } from '../setup.mjs';

interface ExportOptions {
  preset: string;
  out: string;
  checkpoint?: string;
  seed: string;
  reference?: boolean;
  withCheckpoint?: boolean;
  steps?: string;
  id?: string;
  json?: boolean;
}

/** `nextframe export`: PyTorch model → model.onnx + manifest.json, then checked by the TS runtime. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a model (preset or trained checkpoint) to model.onnx + manifest.json, then load it with the runtime to check it')
    .requiredOption('--out <dir>', 'output folder, e.g. public/models/arena')
    .option('--preset <name>', 'model preset from models/config.py (tiny, tiny-streams, arena)', 'tiny')
    .option('--checkpoint <path>', 'trained checkpoint written by `nextframe train` (default: random weights)')
    .option('--seed <n>', 'seed of the random weights when no checkpoint is given', '0')
    .option('--steps <n>', 'denoising steps per frame the manifest asks for (default: the model config\'s)')
    .option('--id <id>', 'the model\'s id in its manifest, e.g. the scene it paints (default: the model config\'s name)')
    .option('--reference', 'also write PyTorch reference inputs/outputs for parity tests')
    .option('--with-checkpoint', 'also write checkpoint.pt (weights + EMA, < 16 MiB) so `train --init <out>` can fine-tune from the folder')
    .option('--json', 'print JSON instead of text')
    .action(async (options: ExportOptions) => {
      const python = findPython();
      if (!python) {
        throw new NextframeError('no-python', 'export needs Python 3 with torch, onnx and numpy: apt-get install python3-torch python3-onnx python3-numpy (or set NEXTFRAME_PYTHON).');
      }
      // Python runs from the repo root (to import `models`): hand it absolute paths.
      const args = ['-m', 'models.export', '--preset', options.preset, '--out', resolve(options.out), '--seed', options.seed];
      if (options.checkpoint) args.push('--checkpoint', resolve(options.checkpoint));
      if (options.reference) args.push('--reference');
      if (options.withCheckpoint) args.push('--with-checkpoint');
      if (options.steps) args.push('--steps', options.steps);
      if (options.id) {
        if (!/^[a-z0-9][a-z0-9._-]*$/.test(options.id)) throw new NextframeError('bad-argument', `--id: expected lower-case letters, digits, ".", "_" or "-" (starting with a letter or digit), found "${options.id}".`);
        args.push('--id', options.id);
      }
      const run = spawnSync(python, args, { cwd: repoRoot, stdio: ['ignore', options.json ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
      if (run.status !== 0) throw new NextframeError('command-failed', `the Python exporter failed (exit ${run.status}); see the messages above.`);
      // The product's own loader is the judge: a manifest it rejects is not an export.
      const model = await WorldModel.load(options.out, { device: 'wasm' });
      const result = { id: model.manifest.id, out: options.out, inputs: model.manifest.inputs.map((i) => i.name), architecture: model.manifest.architecture, valid: true };
      await model.dispose();
      emit(Boolean(options.json), result, () => `exported ${result.id} to ${options.out}; the runtime loads it (inputs: ${result.inputs.join(', ')}).`);
    });
}
