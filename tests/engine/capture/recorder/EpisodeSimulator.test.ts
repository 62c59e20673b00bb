import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionFromPoses } from '../../../../worldmodel/geometry/actionFromPoses.ts';
import { copyPose, type Pose } from '../../../../worldmodel/geometry/Pose.ts';
import { EpisodeSimulator } from '../../../../engine/capture/recorder/EpisodeSimulator.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

function trace(seed: number, policy: string, ticks: number, eyeHeight?: number): { poses: Pose[]; actions: number[][] } {
  const sim = new EpisodeSimulator({ scene: arenaScene(0), rapier: RAPIER, seed, policy, ...(eyeHeight === undefined ? {} : { controller: { eyeHeight } }) });
  const poses = [{ ...sim.pose }];
  const actions = [Array.from(sim.action)];
  for (let t = 1; t < ticks; t++) {
    actions.push(Array.from(sim.step()));
    poses.push({ ...sim.pose });
  }
  sim.dispose();
  return { poses, actions };
}

describe('EpisodeSimulator', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('is deterministic per episode seed, and seeds differ', () => {
    const a = trace(4, 'wander', 80);
    expect(trace(4, 'wander', 80)).toEqual(a);
    expect(trace(5, 'wander', 80).poses[0]).not.toEqual(a.poses[0]);
  });

  it('starts with a zero action; each action is the pose change of its tick', () => {
    for (const policy of ['wander', 'explore']) {
      const { poses, actions } = trace(11, policy, 120);
      expect(actions[0]).toEqual([0, 0, 0, 0, 0, 0, 0]);
      const out = new Float32Array(7);
      for (let t = 1; t < poses.length; t++) {
        actionFromPoses(poses[t - 1]!, poses[t]!, { jump: actions[t]![5] === 1, interact: actions[t]![6] === 1 }, out);
        expect(Array.from(out)).toEqual(actions[t]);
      }
      const moved = poses.some((p) => Math.hypot(p.x - poses[0]!.x, p.z - poses[0]!.z) > 2);
      expect(moved, policy).toBe(true);
      // The camera stays at eye height on the floor (or above it on the ramp, stage, jumps).
      for (const p of poses) expect(p.y).toBeGreaterThan(1.5);
    }
  });

  it('puts the eyes at controller.eyeHeight: the same walk, the camera that much lower', () => {
    const tall = trace(6, 'explore', 120);
    const short = trace(6, 'explore', 120, 1.0);
    expect(short.actions).toEqual(tall.actions);
    tall.poses.forEach((p, t) => {
      const q = short.poses[t]!;
      expect([q.x, q.z, q.yaw, q.pitch]).toEqual([p.x, p.z, p.yaw, p.pitch]);
      expect(q.y - p.y).toBeCloseTo(-0.6, 6);
    });
  });

  it('dispose frees the physics world', () => {
    const sim = new EpisodeSimulator({ scene: arenaScene(0), rapier: RAPIER, seed: 1, policy: 'wander' });
    const before = copyPose(sim.pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 });
    for (let t = 0; t < 20; t++) sim.step();
    expect(sim.tick).toBe(20);
    expect(before.y).toBeGreaterThan(1.5);
    sim.dispose();
    expect(sim.isDisposed).toBe(true);
    expect(() => sim.step()).toThrow(/EpisodeSimulator: step\(\) called after dispose/);
  });

  it('refuses an unknown policy, naming the known ones', () => {
    expect(() => new EpisodeSimulator({ scene: arenaScene(0), rapier: RAPIER, seed: 1, policy: 'teleport' })).toThrow(/unknown policy "teleport"; choose one of wander, explore/);
  });
});
