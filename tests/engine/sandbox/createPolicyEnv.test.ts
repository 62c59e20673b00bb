import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorldModel } from '../../../worldmodel/WorldModel.ts';
import { createPolicyEnv, type SinglePolicyEnv } from '../../../engine/sandbox/createPolicyEnv.ts';
import { createVectorPolicyEnv } from '../../../engine/sandbox/createVectorPolicyEnv.ts';
import { drawSphereOverlays } from '../../../engine/sandbox/drawSphereOverlays.ts';
import { GroundTruthRenderer } from '../../../engine/sandbox/groundtruth/GroundTruthRenderer.ts';
import { measureVectorThroughput } from '../../../engine/sandbox/measureVectorThroughput.ts';
import { reachTask } from '../../../engine/sandbox/tasks/reachTask.ts';
import type { PolicyAction, StepResult } from '../../../engine/sandbox/types.ts';
import { arenaScene } from '../../../engine/runtime/scene/arenaScene.ts';
import { driveTo, IDLE } from './driveTo.ts';

// Real parts throughout: Rapier, the tiny-streams ONNX fixture (32×32, memory + depth streams)
// on onnxruntime-web WASM, and Three.js in headless Chromium. One renderer serves every test.
const fixture = fileURLToPath(new URL('../../fixtures/tiny-streams/', import.meta.url));
const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
let renderer: GroundTruthRenderer;
let model: WorldModel;

/** Drive towards the ball (push) or the target landmark using the physics state; the same actions go to every env. */
function scripted(env: SinglePolicyEnv): PolicyAction {
  const sim = env.simulation;
  const at = sim.objects[0]?.position ?? (sim.episode.target() as unknown as { x: number; z: number });
  return driveTo(sim.pose, at.x, at.z);
}

const physicsOf = (r: StepResult) => ({ reward: r.reward, terminated: r.terminated, truncated: r.truncated, success: r.info.success, progress: r.info.progress, tick: r.info.tick, proprio: r.observation.proprio });

describe('createPolicyEnv / createVectorPolicyEnv', () => {
  beforeAll(async () => {
    renderer = await GroundTruthRenderer.launch({ width: 32, height: 32, camera });
    model = await WorldModel.load(fixture);
  }, 180_000);

  afterAll(async () => {
    await renderer?.close();
    await model?.dispose();
  });

  it('the world-model and ground-truth sources report the same physics, reward and success for the same actions', { timeout: 120_000 }, async () => {
    const truth = await createPolicyEnv({ model: fixture, renderer, task: 'push', observation: 'groundtruth' });
    const painted = await createPolicyEnv({ model, renderer, task: 'push', observation: 'worldmodel' });
    expect([truth.source, painted.source]).toEqual(['groundtruth', 'worldmodel']);
    const [a, b] = [await truth.reset(5), await painted.reset(5)];
    expect(b.proprio).toEqual(a.proprio);
    expect([b.instruction, b.target, b.goal]).toEqual([a.instruction, a.target, a.goal]);
    expect(a.goal?.id).toMatch(/^pillar-/);
    // Both start from the same picture: the recorder's render at the spawn pose (the ball aside).
    const same = a.image.filter((v, i) => Math.abs(v - b.image[i]!) <= 2).length;
    expect(same / a.image.length).toBeGreaterThan(0.97);

    let last: StepResult | null = null;
    for (let t = 0; t < 120; t++) {
      const action = scripted(truth);
      const [x, y] = [await truth.step(action), await painted.step(action)];
      expect(physicsOf(y), `tick ${t + 1}`).toEqual(physicsOf(x));
      expect([x.info.source, y.info.source]).toEqual(['groundtruth', 'worldmodel']);
      last = x;
      if (x.terminated || x.truncated) break;
    }
    // Pushed into the goal: terminated (success), not truncated.
    expect(last).toMatchObject({ terminated: true, truncated: false, info: { success: true, progress: 1 } });
    expect(last!.reward).toBeGreaterThan(1);
    // An ended episode stays frozen until reset: same result, no reward.
    const after = await painted.step(IDLE);
    expect(after).toMatchObject({ terminated: true, truncated: false, reward: 0, info: { tick: last!.info.tick } });
    await truth.close();
    await painted.close();
    expect(renderer.isClosed).toBe(false); // shared: not theirs to close
    await expect(painted.step(IDLE)).rejects.toThrow(/after close/);
  });

  it('truncates, not terminates, when the ticks run out before success', async () => {
    const env = await createPolicyEnv({ model, renderer, task: reachTask({ maxTicks: 4 }), observation: 'worldmodel' });
    await env.reset(1);
    const results = [];
    for (let t = 0; t < 4; t++) results.push(await env.step(IDLE));
    expect(results.map((r) => [r.terminated, r.truncated, r.info.success])).toEqual([
      [false, false, false],
      [false, false, false],
      [false, false, false],
      [false, true, false],
    ]);
    expect(results.map((r) => r.info.tick)).toEqual([1, 2, 3, 4]);
    for (const r of results) expect(r.reward).toBeCloseTo(0, 6); // standing still makes no progress
    await env.close();
  });

  it('is reproducible: the same seed gives the same images and physics, another seed another episode', { timeout: 120_000 }, async () => {
    const env = await createPolicyEnv({ model, renderer, task: 'reach', observation: 'worldmodel' });
    const run = async (seed: number) => {
      const first = await env.reset(seed);
      const images = [Array.from(first.image)];
      const physics = [];
      for (let t = 0; t < 6; t++) {
        const r = await env.step(scripted(env));
        images.push(Array.from(r.observation.image));
        physics.push(physicsOf(r));
      }
      return { images, physics, instruction: first.instruction };
    };
    const a = await run(3);
    const other = await run(4);
    const again = await run(3);
    expect(again).toEqual(a);
    expect(other.images[0]).not.toEqual(a.images[0]);
    expect(new Set(a.images.map((i) => i.join())).size).toBeGreaterThan(3); // the picture changes as it moves
    await env.close();
  });

  it('a vector of N environments equals N single environments (one batched model run per tick)', { timeout: 120_000 }, async () => {
    const seeds = [7, 8, 9];
    const vector = await createVectorPolicyEnv({ model, renderer, task: 'push', observation: 'worldmodel', size: 3 });
    const singles = await Promise.all(seeds.map(() => createPolicyEnv({ model, renderer, task: 'push', observation: 'worldmodel' })));
    const starts = await vector.reset(seeds);
    for (const [i, env] of singles.entries()) expect(Array.from((await env.reset(seeds[i]!)).image)).toEqual(Array.from(starts[i]!.image));
    for (let t = 0; t < 8; t++) {
      const actions = singles.map(scripted);
      const together = await vector.step(actions);
      for (const [i, env] of singles.entries()) {
        const alone = await env.step(actions[i]!);
        expect(physicsOf(together[i]!)).toEqual(physicsOf(alone));
        expect(Array.from(together[i]!.observation.image), `env ${i} tick ${t + 1}`).toEqual(Array.from(alone.observation.image));
      }
    }
    // One environment starts over; the others carry on.
    const restarted = await vector.resetAt(1, seeds[1]!);
    expect(Array.from(restarted.image)).toEqual(Array.from(starts[1]!.image));
    const next = await vector.step([IDLE, IDLE, IDLE]);
    expect(next.map((r) => r.info.tick)).toEqual([9, 1, 9]);
    await expect(vector.step([IDLE])).rejects.toThrow(/expected 3 actions/);
    await vector.close();
    for (const env of singles) await env.close();
  });

  it('the ground-truth page draws the ball where, and about as, the software overlay draws it', async () => {
    const scene = arenaScene(0);
    const pose = { x: 0, y: 1.6, z: 0, yaw: 0.3, pitch: -0.2 };
    const ball = { id: 'ball-0', kind: 'ball' as const, position: { x: -0.6, y: 0.3, z: -3 }, rotation: { x: 0, y: 0, z: 0, w: 1 }, radius: 0.3, color: 0xff5a1f };
    const [withBall, world] = await renderer.render([{ pose, objects: [ball] }, { pose, objects: [] }]);
    const depth = new Float32Array(32 * 32).fill(60); // open floor ahead: nothing hides the ball
    const software = drawSphereOverlays(Uint8Array.from(world!), 32, 32, camera, pose, depth, [ball], scene.lighting);
    const differs = (img: Uint8Array) => Array.from({ length: 32 * 32 }, (_, p) => Math.abs(img[3 * p]! - world![3 * p]!) + Math.abs(img[3 * p + 1]! - world![3 * p + 1]!) + Math.abs(img[3 * p + 2]! - world![3 * p + 2]!) > 30);
    const truthMask = differs(withBall!);
    const softMask = differs(software);
    const both = truthMask.filter((v, p) => v && softMask[p]).length;
    const either = truthMask.filter((v, p) => v || softMask[p]).length;
    expect(truthMask.filter(Boolean).length).toBeGreaterThan(8); // the page did draw it
    expect(both / either).toBeGreaterThan(0.85); // 0.94–1.0 measured at 64×64
    // Mean colour over the ball's pixels, per channel: Lambert under the same lights (≤ 2 levels apart measured).
    const mean = (img: Uint8Array, c: number) => truthMask.reduce((s, v, p) => s + (v && softMask[p] ? img[3 * p + c]! : 0), 0) / both;
    for (let c = 0; c < 3; c++) expect(Math.abs(mean(software, c) - mean(withBall!, c)), `channel ${c}`).toBeLessThan(10);
  });

  it('measures vectorised steps per second per batch size', { timeout: 120_000 }, async () => {
    const report = await measureVectorThroughput({ model, renderer, batchSizes: [1, 3], ticks: 3, warmup: 1 });
    expect(report).toMatchObject({ source: 'worldmodel', model: 'tiny-streams' });
    expect(report.results.map((r) => r.batchSize)).toEqual([1, 3]);
    for (const r of report.results) {
      expect(r.stepsPerSecond).toBeGreaterThan(0);
      expect(r.stepsPerSecond).toBeCloseTo((r.batchSize * 1000) / r.msPerTick, 6);
      expect(Object.keys(r.msByPart).sort()).toEqual(['depth', 'model', 'overlay', 'physics']);
    }
    expect(report.results).toContain(report.best);
    expect(report.best.stepsPerSecondMedian).toBe(Math.max(...report.results.map((r) => r.stepsPerSecondMedian)));
    for (const r of report.results) expect(r.stepsPerSecondMedian).toBeCloseTo((r.batchSize * 1000) / r.msPerTickMedian, 6);
  });
});
