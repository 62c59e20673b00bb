import type { Command } from 'commander';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { recordDataset, type RecordSummary } from '../../../capture/index.ts';
import { emit, progressBar } from '../output.ts';

interface RecordCliOptions {
  scene: string;
  episodes: string;
  ticks: string;
  policy: string;
  out: string;
  seedStart: string;
  sceneSeeds: string;
  chunk: string;
  supersample: string;
  eyeHeight: string;
  display?: string;
  json?: boolean;
}

/** `nextframe record`: record a scene headless in Chromium into a dataset. */
export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record a scene headless in Chromium into a dataset (frames, depth, poses, actions); resumable')
    .option('--scene <id>', 'scene to record', 'arena')
    .option('--episodes <n>', 'episodes per scene seed (episode seeds count up from --seed-start)', '1')
    .option('--ticks <n>', 'ticks per episode (20 per second)', '300')
    .option('--policy <name>', 'scripted player: wander or explore; wander,explore takes them in turn', 'wander')
    .requiredOption('--out <dir>', 'dataset folder')
    .option('--seed-start <n>', 'first episode seed', '0')
    .option('--scene-seeds <list>', 'seeds to build the scene with, one world each: 7, 0-99 or 0-9,20-29 (the generated worlds)', '0')
    .option('--chunk <n>', 'ticks per page round trip', '100')
    .option('--supersample <n>', 'render at n × the resolution and average down (anti-aliasing)', '2')
    .option('--eye-height <m>', "the player's eye height above the floor in metres, in (0.2, 10]", '1.6')
    .option('--display <px>', 'also store the truth at this width (display.npy), a multiple ≥ 2 of the model width 64, e.g. 256; model frames become it averaged down')
    .option('--json', 'print JSON instead of text')
    .action(async (options: RecordCliOptions) => {
      const episodes = integer(options.episodes, '--episodes', 1);
      const ticks = integer(options.ticks, '--ticks', 2);
      const sceneSeeds = seedList(options.sceneSeeds, '--scene-seeds');
      const total = episodes * ticks * sceneSeeds.length;
      // The bar appears once there is something to record (resumed runs may have nothing to do).
      let bar: ReturnType<typeof progressBar> | null = null;
      const summary = await recordDataset({
        scene: options.scene,
        episodes,
        ticks,
        policy: options.policy,
        out: options.out,
        seedStart: integer(options.seedStart, '--seed-start', 0),
        sceneSeeds,
        chunkTicks: integer(options.chunk, '--chunk', 1),
        supersample: integer(options.supersample, '--supersample', 1),
        eyeHeight: metres(options.eyeHeight, '--eye-height'),
        ...(options.display !== undefined ? { display: displayWidth(options.display, '--display', MODEL_WIDTH) } : {}),
        onProgress: (done, todo) => {
          if (!process.stderr.isTTY) return;
          bar ??= progressBar(`recording ${options.policy}`, todo);
          bar.update(done);
        },
        // Without a terminal (logs, CI) one line per episode shows progress instead of the bar.
        onEpisode: (seed, verdict, seconds) => {
          if (!process.stderr.isTTY) process.stderr.write(`episode ${seed} ${verdict} (${ticks} frames in ${seconds.toFixed(1)} s)\n`);
        },
      });
      (bar as ReturnType<typeof progressBar> | null)?.stop();
      emit(Boolean(options.json), summary, () => describe(summary, total));
      if (summary.written + summary.kept === 0) process.exitCode = 1;
    });
}

function describe(s: RecordSummary, requested: number): string {
  const mb = (s.bytes / 1e6).toFixed(1);
  const lines = [
    `${s.out}: ${s.written} episodes written, ${s.kept} kept, ${s.refused.length} refused${s.replaced ? `, ${s.replaced} broken ones recorded again` : ''} (seeds ${s.seeds[0]}–${s.seeds[1]}, ${s.scenes.length > 1 ? `${s.scenes.length} worlds ${s.scenes[0]!.id} … ${s.scenes.at(-1)!.id}` : s.scene}, ${s.policy})`,
    `${s.ticks} of ${requested} frames recorded${s.display ? ` (with display frames at ${s.display.width}×${s.display.height})` : ''} in ${s.seconds.toFixed(1)} s (${s.framesPerSecond.toFixed(0)} frames/s, ${(s.framesPerSecond * 60).toFixed(0)} per minute), ${mb} MB written`,
  ];
  if (s.ticks > 0) {
    const m = s.msPerFrame;
    lines.push(`per frame in the page: physics ${m.physics.toFixed(2)} ms, render ${m.render.toFixed(2)} ms, readback ${m.readback.toFixed(2)} ms, proxy depth ${m.depth.toFixed(2)} ms (${s.renderer ?? 'unknown renderer'})`);
  }
  for (const r of s.refused) lines.push(`refused seed ${r.seed}: ${r.reasons.join('; ')}`);
  return lines.join('\n');
}

function integer(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new NextframeError('bad-argument', `${flag}: expected an integer ≥ ${min}, found "${text}"`);
  return n;
}

/** The resolution `record` records at (the shipped models'). */
const MODEL_WIDTH = 64;

function displayWidth(text: string, flag: string, width: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n % width !== 0 || n < 2 * width || n > 16 * width) throw new NextframeError('bad-argument', `${flag}: expected a width in pixels that is 2 to 16 times the model width ${width}, like ${4 * width}, found "${text}"`);
  return n;
}

function metres(text: string, flag: string): number {
  const m = Number(text);
  if (text.trim() === '' || !Number.isFinite(m) || m <= 0.2 || m > 10) throw new NextframeError('bad-argument', `${flag}: expected metres above the floor in (0.2, 10], like 1.6, found "${text}"`);
  return m;
}

/** `7`, `0-99` or `0-9,20-29` → the seeds, each once, in the order given. */
export function seedList(text: string, flag: string): number[] {
  const seeds = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const [a, b] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
    if (!m || b < a || b - a > 100_000) throw new NextframeError('bad-argument', `${flag}: expected seeds like 7, 0-99 or 0-9,20-29 (integers ≥ 0, ranges low-high), found "${text}"`);
    for (let s = a; s <= b; s++) seeds.add(s);
  }
  return [...seeds];
}
