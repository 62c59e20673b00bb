import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';
import { ReplayPlayer } from '../../../../engine/capture/players/ReplayPlayer.ts';
import type { PlayerObservation } from '../../../../engine/capture/players/ScriptedPlayer.ts';
import { EpisodeSimulator } from '../../../../engine/capture/recorder/EpisodeSimulator.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

const obs = (tick: number): PlayerObservation => ({ tick, pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, grounded: true, blocked: 0, speed: 0, ahead: 60, around: Array(8).fill(60), objects: [] });
const walk: Intent = { forward: 1, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };
const turn: Intent = { ...walk, forward: 0, yawRate: 2 };

describe('ReplayPlayer', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('plays intents[tick], then stands still', () => {
    const player = new ReplayPlayer([walk, turn]);
    expect(player.act(obs(1), { ...IDLE_INTENT })).toEqual(turn);
    expect(player.act(obs(0), { ...IDLE_INTENT })).toEqual(walk);
    expect(player.act(obs(2), { ...walk })).toEqual(IDLE_INTENT);
  });

  it('drives the simulator from a start pose, the same way every time', () => {
    const run = () => {
      const sim = new EpisodeSimulator({ scene: arenaScene(0), rapier: RAPIER, seed: 1, policy: 'replay', player: new ReplayPlayer([...Array(10).fill(walk), ...Array(10).fill(turn)]), start: { x: -1, y: 1.6, z: 0, yaw: 0.5, pitch: 0.2 } });
      const poses = [{ ...sim.pose }];
      for (let t = 0; t < 20; t++) {
        sim.step();
        poses.push({ ...sim.pose });
      }
      sim.dispose();
      return poses;
    };
    const poses = run();
    expect(run()).toEqual(poses);
    expect(poses[0]).toMatchObject({ yaw: 0.5, pitch: 0.2 });
    expect(poses[0]!.x).toBeCloseTo(-1, 6);
    expect(poses[0]!.z).toBeCloseTo(0, 6);
    expect(poses[0]!.y).toBeCloseTo(1.6, 1); // eyes 1.6 m above the floor it settled on
    // Ten ticks forward at 4 m/s (with momentum) along yaw 0.5, then 10 ticks turning 2 rad/s.
    const moved = Math.hypot(poses[10]!.x + 1, poses[10]!.z);
    expect(moved).toBeGreaterThan(1.5);
    expect(moved).toBeLessThan(2.05);
    expect(Math.atan2(-(poses[10]!.x + 1), -poses[10]!.z)).toBeCloseTo(0.5, 3);
    expect(poses[20]!.yaw).toBeCloseTo(0.5 + 2 * 0.5, 6);
  });
});
