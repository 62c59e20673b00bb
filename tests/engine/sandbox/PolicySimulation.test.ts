import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { PolicySimulation } from '../../../engine/sandbox/PolicySimulation.ts';
import { createTask } from '../../../engine/sandbox/tasks/createTask.ts';
import { landmarkTarget } from '../../../engine/sandbox/tasks/landmarkTargets.ts';
import type { PolicyTask } from '../../../engine/sandbox/tasks/PolicyTask.ts';
import { arenaScene } from '../../../engine/runtime/scene/arenaScene.ts';
import { driveTo, IDLE } from './driveTo.ts';

const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
const simulation = (task: PolicyTask | string) => new PolicySimulation({ scene: arenaScene(0), rapier: RAPIER, task: createTask(task), width: 16, height: 16, camera, maxYawRate: 5 });

/** Poses, object positions and rewards of a run of `ticks` under a driver that reads the physics state. */
function rollout(sim: PolicySimulation, seed: number, ticks: number): number[] {
  sim.reset(seed);
  const trace = [sim.pose.x, sim.pose.z, sim.pose.yaw];
  for (let t = 0; t < ticks; t++) {
    const target = sim.objects[0]?.position ?? (sim.episode.target() as unknown as { x: number; z: number });
    const status = sim.step(driveTo(sim.pose, target.x, target.z));
    trace.push(sim.pose.x, sim.pose.y, sim.pose.z, sim.pose.yaw, status.reward, ...sim.objects.flatMap((o) => [o.position.x, o.position.y, o.position.z]), ...sim.action);
  }
  return trace;
}

describe('PolicySimulation', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('is reproducible: the same seed gives the same spawn, targets and physics; another seed does not', () => {
    for (const task of ['reach', 'push', 'waypoints']) {
      const a = simulation(task);
      const b = simulation(task);
      const first = rollout(a, 11, 30);
      b.reset(99); // a different episode in between must leave nothing behind
      b.step(driveTo(b.pose, 0, 0));
      expect(rollout(b, 11, 30), task).toEqual(first);
      expect(a.episode.instruction).toBe(b.episode.instruction);
      expect(rollout(b, 12, 30), task).not.toEqual(first);
      a.dispose();
      b.dispose();
    }
  });

  it('reports the action vector the model is conditioned on, from the pose change after physics', () => {
    const sim = simulation('reach');
    sim.reset(3);
    expect(Array.from(sim.action)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (let t = 0; t < 10; t++) sim.step({ ...IDLE, forward: 1 });
    // Walking straight ahead at up to 4 m/s: forward ≈ 0.2 m per 20 Hz tick, no strafe, no turn.
    expect(sim.action[0]).toBeGreaterThan(0.1);
    expect(Math.abs(sim.action[1]!)).toBeLessThan(1e-3);
    sim.step({ ...IDLE, yawRate: 100 }); // clamped to the model's 0.25 rad/tick (5 rad/s)
    expect(sim.action[3]).toBeCloseTo(0.25, 5);
    sim.dispose();
    expect(() => sim.step(IDLE)).toThrow(/after dispose/);
  });

  it('reach: succeeds exactly when the physics says the camera is within 1.2 m of the landmark', () => {
    const sim = simulation('reach');
    for (const seed of [0, 1, 2]) {
      sim.reset(seed);
      const target = sim.episode.target() as unknown as { x: number; z: number; id: string };
      expect(sim.episode.instruction).toMatch(/^walk to the (red|blue|yellow|green) pillar$/);
      let status = sim.status;
      let progress = 0;
      for (let t = 0; t < 200 && !status.success; t++) {
        status = sim.step(driveTo(sim.pose, target.x, target.z));
        const d = Math.hypot(sim.pose.x - target.x, sim.pose.z - target.z) - 0.55; // pillar radius 0.55
        expect(status.success, `seed ${seed} tick ${t} at ${d.toFixed(3)} m`).toBe(d <= 1.2);
        if (!status.success) expect(status.progress).toBeGreaterThanOrEqual(progress - 0.05);
        progress = status.progress;
      }
      expect(status.success, `seed ${seed}`).toBe(true);
      expect(status.progress).toBe(1);
      expect(status.reward).toBeGreaterThan(1); // the success bonus
    }
    sim.dispose();
  });

  it('push: succeeds when the ball (not the player) reaches the goal zone; standing still earns nothing', () => {
    const sim = simulation('push');
    sim.reset(5);
    const goal = sim.episode.goal() as unknown as { x: number; z: number };
    expect(sim.episode.instruction).toMatch(/^push the ball to the \w+ pillar$/);
    expect(sim.episode.target()).toEqual({ id: 'ball-0', color: 0xff5a1f });
    expect(sim.objects.map((o) => o.id)).toEqual(['ball-0']); // only the task's ball is in the world
    let total = 0;
    for (let t = 0; t < 20; t++) total += sim.step(IDLE).reward;
    expect(total).toBeCloseTo(0, 6);
    expect(sim.status.success).toBe(false);
    let status = sim.status;
    for (let t = 0; t < 150 && !status.success; t++) {
      const ball = sim.objects[0]!.position;
      status = sim.step(driveTo(sim.pose, ball.x, ball.z));
      expect(status.success).toBe(Math.hypot(ball.x - goal.x, ball.z - goal.z) <= 1.6);
    }
    expect(status.success).toBe(true);
    sim.dispose();
  });

  it('waypoints: visits count only in order, and success comes after the last one', () => {
    const sim = simulation('waypoints');
    sim.reset(1); // a seed whose straight lines between the stops are clear of obstacles
    const [, firstId, secondId] = /^visit the (\w+) pillar, then the (\w+) pillar$/.exec(sim.episode.instruction) ?? [];
    expect(sim.episode.target().id).toBe(`pillar-${firstId}`);
    const first = landmarkTarget(arenaScene(0), `pillar-${firstId}`);
    const second = landmarkTarget(arenaScene(0), `pillar-${secondId}`);
    const near = (l: { x: number; z: number }) => Math.hypot(sim.pose.x - l.x, sim.pose.z - l.z) - 0.55 <= 1.2;
    // The second stop first: it does not count.
    let status = sim.status;
    for (let t = 0; t < 200 && !near(second); t++) status = sim.step(driveTo(sim.pose, second.x, second.z));
    expect(near(second)).toBe(true);
    expect(status.progress).toBeLessThan(0.5);
    expect(sim.episode.target().id).toBe(first.id);
    for (let t = 0; t < 200 && status.progress < 0.5; t++) status = sim.step(driveTo(sim.pose, first.x, first.z));
    expect(status.progress).toBe(0.5); // one of two visited
    expect(status.success).toBe(false);
    expect(sim.episode.target().id).toBe(second.id);
    for (let t = 0; t < 200 && !status.success; t++) status = sim.step(driveTo(sim.pose, second.x, second.z));
    expect(status.success).toBe(true);
    expect(status.progress).toBe(1);
    sim.dispose();
  });
});
