import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { NextframeError, WorldModel } from '../../../../worldmodel/index.ts';
import { BUILTIN_POLICIES, builtinPolicy, createVectorPolicyEnv, evaluatePolicies, type EvaluationReport, GroundTruthRenderer, htmlReport, type ObservationSource, type PolicyEntry, scenePalette, TASKS, userPolicy } from '../../../sandbox/index.ts';
import { SCENES } from '../../../runtime/index.ts';
import { repoRoot } from '../setup.mjs';
import { emit, progressBar } from '../output.ts';
import { positiveInteger } from '../positiveInteger.ts';

interface EvalPoliciesOptions {
  model: string;
  task: string;
  episodes: string;
  policy: string[];
  policies?: string;
  sources: string;
  out: string;
  bc?: string;
  seed: string;
  maxTicks?: string;
  batch?: string;
  steps?: string;
  survey: string;
  json?: boolean;
}

const SOURCES: readonly ObservationSource[] = ['worldmodel', 'groundtruth'];

/**
 * `nextframe eval-policies`: every policy, in the world model and in ground truth, on the same
 * seeded episodes; success rates with intervals, their correlation across sources, steps per
 * second, and a self-contained HTML report.
 */
export function registerEvalPolicies(program: Command): void {
  program
    .command('eval-policies')
    .description('evaluate image-based policies in the world model and in ground truth (Three.js in headless Chromium) on the same seeded episodes: success rates with 95 % intervals, Pearson and Spearman between the sources, steps per second, and an HTML report')
    .requiredOption('--model <dir>', 'model folder (manifest.json + model.onnx)')
    .option('--task <name>', `task: ${Object.keys(TASKS).join(', ')} or all`, 'all')
    .option('--episodes <n>', 'seeded episodes per policy, task and source', '10')
    .option('--policy <file|url>', 'add your policy: an ES module exporting a policy or factory, or an http(s) URL serving one (repeatable)', (value: string, list: string[]) => [...list, value], [] as string[])
    .option('--policies <names>', `built-in policies to run, comma-separated (default: all of ${BUILTIN_POLICIES.join(', ')}; "none" for only yours)`)
    .option('--sources <names>', 'observation sources, comma-separated', SOURCES.join(','))
    .option('--out <dir>', 'folder for report.html and report.json', 'runs/eval-policies')
    .option('--bc <dir>', 'folder of the behaviour-cloned policy (policy.json + policy.onnx); default: the shipped public/policies/bc-cnn')
    .option('--seed <n>', 'first episode seed', '0')
    .option('--max-ticks <n>', "end episodes after this many ticks (default: each task's limit)")
    .option('--batch <n>', 'environments stepped together (default: min(episodes, 8))')
    .option('--steps <n>', 'denoising steps per frame (default: the manifest)')
    .option('--survey <on|off>', "world-model source: start each episode's spatial memory with a survey of the scene's real views (off: the start frame alone)", 'on')
    .option('--json', 'print JSON instead of text')
    .action(async (options: EvalPoliciesOptions) => {
      if (options.survey !== 'on' && options.survey !== 'off') throw new NextframeError('bad-argument', `--survey must be on or off, found "${options.survey}".`);
      const survey = options.survey === 'on';
      const tasks = options.task === 'all' ? Object.keys(TASKS) : [options.task];
      for (const task of tasks) if (!TASKS[task]) throw new NextframeError('bad-task', `unknown task "${task}"; known: ${Object.keys(TASKS).join(', ')}, or all.`);
      const episodes = positiveInteger(options.episodes, '--episodes');
      const sources = options.sources.split(',').map((s) => s.trim()) as ObservationSource[];
      for (const s of sources) if (!SOURCES.includes(s)) throw new NextframeError('bad-argument', `unknown source "${s}" in --sources; known: ${SOURCES.join(', ')}.`);
      const scene = SCENES.arena!(0);
      const palette = scenePalette(scene);

      const builtinNames = options.policies === undefined ? [...BUILTIN_POLICIES] : options.policies === 'none' ? [] : options.policies.split(',').map((s) => s.trim());
      const bcFolder = options.bc ? resolve(options.bc) : join(repoRoot, 'public/policies/bc-cnn');
      if (builtinNames.includes('bc-cnn') && !existsSync(join(bcFolder, 'policy.json'))) {
        // The shipped bc-cnn policy is in the repository's public/, not in the npm package.
        throw new NextframeError('bad-policy', `the bc-cnn policy needs its folder (policy.onnx + policy.json): none at ${bcFolder}. Pass --bc <folder>, or leave it out with --policies ${BUILTIN_POLICIES.filter((p) => p !== 'bc-cnn').join(',')}.`);
      }
      const entries: PolicyEntry[] = builtinNames.map((name) => builtinPolicy(name, { bcFolder, palette }));
      // Load each user policy once now, so a bad file or URL fails before minutes of episodes.
      for (const spec of options.policy) entries.push(await userPolicy(spec));
      if (entries.length === 0) throw new NextframeError('bad-argument', 'no policies to evaluate: --policies none needs at least one --policy FILE.');
      if (builtinNames.includes('bc-cnn')) await (await entries[builtinNames.indexOf('bc-cnn')]!.create()).dispose?.();

      const model = await WorldModel.load(options.model, { device: 'wasm', ...(options.steps ? { sampler: { steps: positiveInteger(options.steps, '--steps') } } : {}) });
      const { width, height } = model.manifest.resolution;
      const renderer = await GroundTruthRenderer.launch({ scene: 'arena', sceneSeed: 0, width, height, camera: { ...model.manifest.camera, aspect: width / height } });
      let bar: ReturnType<typeof progressBar> | null = null;
      let report: EvaluationReport;
      try {
        report = await evaluatePolicies({
          policies: entries,
          tasks,
          sources,
          episodes,
          seedStart: Number(options.seed),
          ...(options.maxTicks ? { maxTicks: positiveInteger(options.maxTicks, '--max-ticks') } : {}),
          ...(options.batch ? { batch: positiveInteger(options.batch, '--batch') } : {}),
          // One model and one browser for every environment: each env forks the model and shares the page.
          makeEnv: (task, source, size) => createVectorPolicyEnv({ model, task, observation: source, size, renderer, survey }),
          onProgress: (done, total) => {
            bar ??= progressBar('episodes', total);
            bar.update(done);
          },
        });
      } finally {
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        await renderer.close();
        await model.dispose();
      }

      const out = resolve(options.out);
      mkdirSync(out, { recursive: true });
      const htmlPath = join(out, 'report.html');
      writeFileSync(htmlPath, htmlReport(report));
      // The strips' pixels belong in the HTML, not in the JSON.
      const full = { model: model.manifest.id, survey, ...report, strips: undefined, report: htmlPath };
      writeFileSync(join(out, 'report.json'), `${JSON.stringify(full, null, 2)}\n`);
      emit(Boolean(options.json), full, () => humanSummary(report, htmlPath));
    });
}

function humanSummary(report: EvaluationReport, htmlPath: string): string {
  const pct = (v: number | undefined): string => (v === undefined ? '   n/a' : `${(100 * v).toFixed(0).padStart(4)} %`);
  const lines = [`${report.episodes} episodes per cell, seeds from ${report.seedStart}:`, '  policy         task        world model  ground truth'];
  for (const p of report.policies) {
    for (const t of report.tasks) lines.push(`  ${p.name.padEnd(14)} ${t.padEnd(11)} ${pct(p.tasks[t]?.worldmodel?.rate).padStart(11)}  ${pct(p.tasks[t]?.groundtruth?.rate).padStart(12)}`);
  }
  const f = (v: number | null): string => (v === null ? 'n/a (no spread)' : v.toFixed(3));
  lines.push(`  Pearson r ${f(report.pearson)}, Spearman ρ ${f(report.spearman)} over ${report.pairs.length} policy × task pairs`);
  lines.push(`  steps/s (batch ${report.batch}): ${Object.entries(report.stepsPerSecond).map(([s, v]) => `${s} ${v.toFixed(1)}`).join(', ')}`);
  lines.push(`  report: ${htmlPath}`);
  return lines.join('\n');
}
