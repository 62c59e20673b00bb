import { describe, expect, it } from 'vitest';
import { createTask, TASKS } from '../../../../engine/sandbox/tasks/createTask.ts';
import { distanceToLandmark, landmarkTarget, PILLARS } from '../../../../engine/sandbox/tasks/landmarkTargets.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

const scene = arenaScene(0);

describe('landmarkTarget / distanceToLandmark', () => {
  it('finds each pillar with its colour and measures to its surface', () => {
    for (const id of PILLARS) {
      const target = landmarkTarget(scene, id);
      const shape = scene.statics.find((s) => s.id === id)!;
      expect(target.color).toBe(scene.materials[shape.material]!.color);
      expect(target.name).toBe(`${id.split('-')[1]} pillar`);
      expect([target.x, target.z]).toEqual([shape.position[0], shape.position[2]]);
      // 2 m from the axis of a 0.55 m pillar: 1.45 m from its surface; inside: 0.
      expect(distanceToLandmark(target, target.x + 2, target.z)).toBeCloseTo(1.45, 9);
      expect(distanceToLandmark(target, target.x, target.z - 0.2)).toBe(0);
    }
  });

  it('groups shapes by name, ignores the parts overhead, and honours a box\'s yaw', () => {
    const arch = landmarkTarget(scene, 'arch');
    expect(arch.shapes.map((s) => s.id).sort()).toEqual(['arch-post-left', 'arch-post-right']); // the lintel is overhead
    const bench = landmarkTarget(scene, 'bench');
    const box = scene.statics.find((s) => s.id === 'bench')!;
    if (box.kind !== 'box') throw new Error('the bench is a box');
    // Along the bench's own short axis (local z, turned by its yaw): half its depth away from the centre.
    const [x, , z] = box.position;
    const along = (d: number) => [x + Math.sin(box.yaw) * d, z + Math.cos(box.yaw) * d] as const;
    expect(distanceToLandmark(bench, ...along(box.size[2] / 2 + 1))).toBeCloseTo(1, 9);
    expect(distanceToLandmark(bench, ...along(0.1))).toBe(0);
  });

  it('explains unknown landmarks and tasks', () => {
    expect(() => landmarkTarget(scene, 'pillar-purple')).toThrow(/no landmark "pillar-purple"; known: .*pillar-red/);
    expect(() => landmarkTarget(scene, 'pillar-purple')).toThrow(expect.objectContaining({ code: 'bad-task' }));
    expect(() => createTask('fly')).toThrow(/unknown task "fly"; known: reach, push, waypoints/);
    expect(() => createTask('fly')).toThrow(expect.objectContaining({ code: 'bad-task' }));
    expect(Object.keys(TASKS)).toEqual(['reach', 'push', 'waypoints']);
    expect(createTask('push').maxTicks).toBe(200);
  });
});
