import { describe, expect, it } from 'vitest';
import { IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';
import { createPlayer } from '../../../../engine/capture/players/createPlayer.ts';
import { landmarksOf } from '../../../../engine/capture/players/landmarks.ts';
import type { PlayerObservation } from '../../../../engine/capture/players/ScriptedPlayer.ts';
import { headingTo } from '../../../../worldmodel/geometry/heading.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

const observation = (tick: number, ahead = 60): PlayerObservation => ({
  tick,
  pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 },
  grounded: true,
  blocked: 0,
  speed: 0,
  ahead,
  around: [ahead, 5, 8, 5, 8, 5, 8, 5],
  objects: [{ x: 2, z: 2 }],
});

describe('scripted players', () => {
  it('know the landmarks, grouped and inside the walls', () => {
    const ids = landmarksOf(arenaScene(0)).map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['pillar-red', 'pillar-blue', 'pillar-yellow', 'pillar-green', 'arch', 'ramp', 'tree', 'crate', 'wall-north', 'bench']));
    expect(ids.filter((id) => id === 'arch')).toHaveLength(1);
    for (const l of landmarksOf(arenaScene(0))) expect(Math.max(Math.abs(l.x), Math.abs(l.z))).toBeLessThanOrEqual(10.5);
  });

  it('face a point with headingTo (yaw 0 looks down −z, + turns left)', () => {
    expect(headingTo(0, -1)).toBeCloseTo(0, 12);
    expect(headingTo(-1, 0)).toBeCloseTo(Math.PI / 2, 12);
    expect(headingTo(1, 0)).toBeCloseTo(-Math.PI / 2, 12);
  });

  it('are deterministic per seed and act within the intent ranges', () => {
    for (const name of ['wander', 'explore']) {
      const run = (seed: number): Intent[] => {
        const player = createPlayer(name, arenaScene(0), seed);
        return Array.from({ length: 200 }, (_, t) => ({ ...player.act(observation(t), { ...IDLE_INTENT }) }));
      };
      const a = run(3);
      expect(run(3)).toEqual(a);
      expect(run(4)).not.toEqual(a);
      for (const i of a) {
        expect(Math.abs(i.forward)).toBeLessThanOrEqual(1);
        expect(Math.abs(i.strafe)).toBeLessThanOrEqual(1);
        expect(Math.abs(i.yawRate)).toBeLessThanOrEqual(8);
      }
    }
  });

  it('turn away first when standing with a wall right in front', () => {
    const player = createPlayer('wander', arenaScene(0), 1);
    const first = player.act(observation(0, 0.5), { ...IDLE_INTENT });
    expect(first.forward).toBe(0);
    expect(Math.abs(first.yawRate)).toBeGreaterThan(1);
  });
});
