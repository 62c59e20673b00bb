import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { footprint } from '../../../../engine/runtime/scene/SceneDescription.ts';
import { pickSpawnPoint } from '../../../../engine/runtime/scene/spawnPose.ts';
import { SeededRandom } from '../../../../worldmodel/SeededRandom.ts';

describe('arenaScene', () => {
  it('is plain data, deterministic per seed, and different across seeds', () => {
    expect(JSON.parse(JSON.stringify(arenaScene(0)))).toEqual(arenaScene(0));
    expect(arenaScene(5)).toEqual(arenaScene(5));
    expect(arenaScene(1)).not.toEqual(arenaScene(0));
  });

  it('does not import three or Rapier, so Node code can use it anywhere', () => {
    for (const file of ['arenaScene.ts', 'SceneDescription.ts', 'spawnPose.ts', 'shapeGeometry.ts']) {
      const source = readFileSync(fileURLToPath(new URL(`../../../../engine/runtime/scene/${file}`, import.meta.url)), 'utf8');
      expect(source, file).not.toMatch(/from '(three|@dimforge\/[^']+)'/);
    }
  });

  it('is a walled ~24 m courtyard with distinct landmarks, balls and crates', () => {
    const scene = arenaScene(0);
    const ids = scene.statics.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['floor', 'wall-north', 'wall-south', 'wall-east', 'wall-west', 'pillar-red', 'pillar-blue', 'pillar-yellow', 'pillar-green', 'arch-lintel', 'ramp', 'tree-canopy', 'crate-1']) {
      expect(ids, id).toContain(id);
    }
    expect(scene.bounds).toEqual({ halfX: 12, halfZ: 12 });
    expect(scene.dynamics.filter((d) => d.kind === 'ball').length).toBeGreaterThanOrEqual(3);
    expect(scene.dynamics.filter((d) => d.kind === 'crate').length).toBeGreaterThanOrEqual(2);
    // Every landmark and wall side has its own colour.
    const landmarkColours = ['wall-north', 'wall-south', 'wall-east', 'wall-west', 'pillar-red', 'pillar-blue', 'pillar-yellow', 'pillar-green', 'arch', 'ramp', 'canopy', 'crate'].map((m) => scene.materials[m]!.color);
    expect(new Set(landmarkColours).size).toBe(landmarkColours.length);
    for (const shape of scene.statics) expect(scene.materials[shape.material], shape.material).toBeDefined();
  });

  it('places dynamic objects clear of static shapes and spawns players in clear spots', () => {
    const scene = arenaScene(0);
    const solid = scene.statics.filter((s) => s.id !== 'floor').map(footprint);
    for (const object of scene.dynamics) {
      const f = footprint(object);
      const overlaps = solid.some((s) => f.minX < s.maxX && f.maxX > s.minX && f.minZ < s.maxZ && f.maxZ > s.minZ && f.bottom < s.top && f.top > s.bottom);
      expect(overlaps, object.id).toBe(false);
    }
    const a = pickSpawnPoint(scene, new SeededRandom(9));
    expect(pickSpawnPoint(scene, new SeededRandom(9))).toEqual(a);
    for (let seed = 0; seed < 50; seed++) {
      const p = pickSpawnPoint(scene, new SeededRandom(seed));
      expect(Math.abs(p.x)).toBeLessThan(11.5);
      expect(Math.abs(p.z)).toBeLessThan(11.5);
      expect(solid.some((s) => p.x > s.minX - 0.5 && p.x < s.maxX + 0.5 && p.z > s.minZ - 0.5 && p.z < s.maxZ + 0.5 && s.top > 0.05)).toBe(false);
    }
  });
});
