import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpy } from '../../../worldmodel/dataset/npy.ts';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import type { PolicyVectorEnv } from '../PolicyVectorEnv.ts';
import type { LandmarkTarget } from '../tasks/landmarkTargets.ts';
import type { PolicyAction } from '../types.ts';
import { BC_ACTIONS, bcAction } from './bcActions.ts';
import { ScriptedExpert, type ExpertState } from './ScriptedExpert.ts';

export interface RecordDemonstrationsOptions {
  /** Opens the (ground-truth) environment of a task; the recorder reads its physics state for the expert. */
  makeEnv(task: string): Promise<PolicyVectorEnv>;
  tasks: readonly string[];
  /** Episodes per task. */
  episodes: number;
  /** First episode seed; keep it far from evaluation seeds. Default 500 000. */
  seedStart?: number;
  /**
   * Chance per tick of starting a 3–6 tick detour of random actions while the label stays the
   * expert's choice (DART): the student then sees how to recover from states the expert never
   * visits on its own. Default 0.06.
   */
  noise?: number;
  out: string;
  onProgress?(done: number, total: number): void;
}

export interface DemonstrationSummary {
  episodes: number;
  frames: number;
  successes: number;
  /** Frames per action row. */
  actionCounts: number[];
}

/**
 * Roll the privileged `ScriptedExpert` out in an environment and write what behaviour cloning
 * needs, one folder per episode: `images.npy` uint8 [T,H,W,3] (what the policy saw),
 * `targets.npy` uint8 [T,6] (target RGB, goal RGB or zeros) and `actions.npy` uint8 [T] (the
 * expert's row of `BC_ACTIONS`), plus `actions.json` (the table) and `meta.json` at the top.
 * `models/policy_bc.py` reads the folder.
 */
export async function recordDemonstrations(options: RecordDemonstrationsOptions): Promise<DemonstrationSummary> {
  const seedStart = options.seedStart ?? 500_000;
  const noise = options.noise ?? 0.06;
  const rng = new SeededRandom(seedStart);
  mkdirSync(options.out, { recursive: true });
  const summary: DemonstrationSummary = { episodes: 0, frames: 0, successes: 0, actionCounts: BC_ACTIONS.map(() => 0) };
  const total = options.tasks.length * options.episodes;
  let done = 0;
  for (const task of options.tasks) {
    const env = await options.makeEnv(task);
    try {
      const experts = Array.from({ length: env.size }, () => new ScriptedExpert());
      for (let first = 0; first < options.episodes; first += env.size) {
        const seeds = Array.from({ length: env.size }, (_, i) => seedStart + first + i);
        const count = Math.min(env.size, options.episodes - first);
        let observations = await env.reset(seeds);
        experts.forEach((e) => e.reset());
        const frames: { image: Uint8Array; target: Uint8Array; action: number }[][] = seeds.map(() => []);
        const detour = new Array<number>(env.size).fill(0);
        const detourAction = new Array<number>(env.size).fill(0);
        const live = seeds.map((_, i) => i < count);
        const success = seeds.map(() => false);
        while (live.some(Boolean)) {
          const actions: PolicyAction[] = observations.map((o, i) => {
            const label = experts[i]!.choose(expertState(env, i));
            if (!live[i]) return bcAction(label);
            const target = new Uint8Array(6);
            rgbInto(o.target.color, target, 0);
            if (o.goal) rgbInto(o.goal.color, target, 3);
            frames[i]!.push({ image: o.image.slice(), target, action: label });
            if (detour[i]! === 0 && rng.nextFloat() < noise) {
              detour[i] = 3 + Math.floor(rng.nextFloat() * 4);
              detourAction[i] = Math.floor(rng.nextFloat() * BC_ACTIONS.length);
            }
            if (detour[i]! > 0) {
              detour[i]!--;
              return bcAction(detourAction[i]!);
            }
            return bcAction(label);
          });
          const results = await env.step(actions);
          results.forEach((r, i) => {
            if (!live[i]) return;
            if (r.info.success) success[i] = true;
            if (r.terminated || r.truncated) live[i] = false;
          });
          observations = results.map((r) => r.observation);
        }
        for (let i = 0; i < count; i++) {
          writeEpisode(join(options.out, `${task}-${seeds[i]}`), frames[i]!, observations[i]!.width, observations[i]!.height);
          summary.episodes++;
          summary.frames += frames[i]!.length;
          if (success[i]) summary.successes++;
          for (const f of frames[i]!) summary.actionCounts[f.action]!++;
          options.onProgress?.(++done, total);
        }
      }
    } finally {
      await env.close();
    }
  }
  writeFileSync(join(options.out, 'actions.json'), `${JSON.stringify(BC_ACTIONS, null, 2)}\n`);
  writeFileSync(join(options.out, 'meta.json'), `${JSON.stringify({ expert: 'ScriptedExpert', source: 'groundtruth', tasks: options.tasks, episodesPerTask: options.episodes, seedStart, noise, ...summary }, null, 2)}\n`);
  return summary;
}

/** The privileged view of environment `i`: pose and speed, where the target (or the ball) and the goal are. */
function expertState(env: PolicyVectorEnv, i: number): ExpertState {
  const sim = env.simulation(i);
  const episode = sim.episode;
  const target = episode.target() as Partial<LandmarkTarget> & { id: string };
  const body = sim.objects.find((o) => o.id === target.id);
  const goal = episode.goal() as LandmarkTarget | null;
  const [vx, vz] = sim.velocity;
  return {
    pose: sim.pose,
    speed: Math.hypot(vx, vz),
    target: body ? { x: body.position.x, z: body.position.z } : { x: target.x ?? 0, z: target.z ?? 0 },
    goal: goal ? { x: goal.x, z: goal.z } : null,
  };
}

function writeEpisode(dir: string, frames: readonly { image: Uint8Array; target: Uint8Array; action: number }[], width: number, height: number): void {
  mkdirSync(dir, { recursive: true });
  const t = frames.length;
  const pixels = width * height * 3;
  const images = new Uint8Array(t * pixels);
  const targets = new Uint8Array(t * 6);
  const actions = new Uint8Array(t);
  frames.forEach((f, k) => {
    images.set(f.image, k * pixels);
    targets.set(f.target, k * 6);
    actions[k] = f.action;
  });
  writeFileSync(join(dir, 'images.npy'), encodeNpy(images, [t, height, width, 3], 'uint8'));
  writeFileSync(join(dir, 'targets.npy'), encodeNpy(targets, [t, 6], 'uint8'));
  writeFileSync(join(dir, 'actions.npy'), encodeNpy(actions, [t], 'uint8'));
}

function rgbInto(color: number, out: Uint8Array, at: number): void {
  out[at] = (color >> 16) & 255;
  out[at + 1] = (color >> 8) & 255;
  out[at + 2] = color & 255;
}
