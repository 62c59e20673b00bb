import { resolve } from 'node:path';
import type { Command } from 'commander';
import { NextframeError, WorldModel } from '../../../../worldmodel/index.ts';
import { createVectorPolicyEnv, GroundTruthRenderer, recordDemonstrations, TASKS } from '../../../sandbox/index.ts';
import { emit, progressBar } from '../output.ts';
import { positiveInteger } from '../positiveInteger.ts';

interface RecordDemosOptions {
  model: string;
  task: string;
  episodes: string;
  out: string;
  seedStart: string;
  noise: string;
  batch: string;
  json?: boolean;
}

/**
 * `nextframe record-demos`: the scripted expert (it steers by physics state) in the ground-truth
 * environment, recorded as behaviour-cloning data for `models/policy_bc.py`.
 */
export function registerRecordDemos(program: Command): void {
  program
    .command('record-demos')
    .description('record a privileged scripted expert in the ground-truth policy environment, as demonstrations for behaviour cloning (models/policy_bc.py)')
    .requiredOption('--model <dir>', "model folder: its resolution, camera and action range set the environment's")
    .option('--task <name>', `task: ${Object.keys(TASKS).join(', ')} or all`, 'all')
    .option('--episodes <n>', 'episodes per task', '40')
    .requiredOption('--out <dir>', 'demonstrations folder')
    .option('--seed-start <n>', 'first episode seed (keep clear of evaluation seeds)', '500000')
    .option('--noise <p>', 'chance per tick of a short random detour, labelled with what the expert would do (DART)', '0.06')
    .option('--batch <n>', 'environments stepped together', '8')
    .option('--json', 'print JSON instead of text')
    .action(async (options: RecordDemosOptions) => {
      const tasks = options.task === 'all' ? Object.keys(TASKS) : [options.task];
      for (const task of tasks) if (!TASKS[task]) throw new NextframeError('bad-task', `unknown task "${task}"; known: ${Object.keys(TASKS).join(', ')}, or all.`);
      const episodes = positiveInteger(options.episodes, '--episodes');
      const size = positiveInteger(options.batch, '--batch');
      const model = await WorldModel.load(options.model, { device: 'wasm' });
      const { width, height } = model.manifest.resolution;
      const renderer = await GroundTruthRenderer.launch({ width, height, camera: { ...model.manifest.camera, aspect: width / height } });
      let bar: ReturnType<typeof progressBar> | null = null;
      const started = performance.now();
      try {
        const out = resolve(options.out);
        const summary = await recordDemonstrations({
          makeEnv: (task) => createVectorPolicyEnv({ model, task, observation: 'groundtruth', size: Math.min(size, episodes), renderer }),
          tasks,
          episodes,
          seedStart: Number(options.seedStart),
          noise: Number(options.noise),
          out,
          onProgress: (done, total) => {
            bar ??= progressBar('episodes', total);
            bar.update(done);
          },
        });
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        const result = { out, tasks, ...summary, seconds: (performance.now() - started) / 1000 };
        emit(Boolean(options.json), result, () => `${summary.episodes} expert episodes (${summary.successes} successful), ${summary.frames} frames in ${out}\n  train: /usr/bin/python3 -m models.policy_bc --demos ${out} --out public/policies/bc-cnn`);
      } finally {
        await renderer.close();
        await model.dispose();
      }
    });
}
