import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldRecipe } from '../../../demos/worlds/generated.ts';
import { buildPhysicsWorld } from '../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { findSpawnPoint } from '../../../engine/runtime/scene/findSpawnPoint.ts';
import { previewWorlds, type WorldView } from '../../../engine/tools/cli/commands/worlds.ts';
import { SeededRandom } from '../../../worldmodel/index.ts';

// Seeds 0–4 hold one world of each family; 0 is built twice, 5 is another courtyard.
const SEEDS = [0, 1, 2, 3, 4, 0, 5];

describe('generated worlds, built for real in headless Chromium', () => {
  let views: WorldView[] = [];

  beforeAll(async () => {
    await RAPIER.init();
    views = await previewWorlds({ scene: 'generated', seeds: SEEDS, size: 32, supersample: 1, withLayout: true });
  }, 180_000);

  it('builds the same scene for the same seed and different scenes for different seeds', () => {
    const hashes = views.map((v) => v.hash);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[5]).toBe(hashes[0]);
    expect(Buffer.from(views[5]!.rgb).equals(Buffer.from(views[0]!.rgb))).toBe(true);
    expect(new Set([hashes[0], hashes[1], hashes[2], hashes[3], hashes[4], hashes[6]]).size).toBe(6);
    expect(views.map((v) => v.id)).toEqual(SEEDS.map((s) => `generated-${s}`));
  });

  it('puts walkable ground under the spawn area of every family, and finds a spawn spot', () => {
    expect(new Set(views.map((v) => worldRecipe(v.seed).family)).size).toBe(5);
    for (const view of views) {
      const layout = view.layout!;
      const { minX, maxX, minZ, maxZ } = layout.spawn;
      expect(maxX - minX, `seed ${view.seed}`).toBeGreaterThan(8);
      expect(maxZ - minZ, `seed ${view.seed}`).toBeGreaterThan(8);
      const physics = buildPhysicsWorld(layout, RAPIER);
      // Straight down from high above the middle and the corners of the spawn rectangle.
      for (const [x, z] of [[(minX + maxX) / 2, (minZ + maxZ) / 2], [minX, minZ], [maxX, maxZ], [minX, maxZ], [maxX, minZ]] as const) {
        const hit = physics.world.castRayAndGetNormal(new RAPIER.Ray({ x, y: 40, z }, { x: 0, y: -1, z: 0 }), 80, true);
        expect(hit, `seed ${view.seed}: nothing under (${x}, ${z})`).not.toBeNull();
        expect(40 - hit!.timeOfImpact, `seed ${view.seed}: ground under (${x}, ${z})`).toBeGreaterThan(-2);
        expect(40 - hit!.timeOfImpact, `seed ${view.seed}: ground under (${x}, ${z})`).toBeLessThan(12);
      }
      // Closed: from a few spots a player can start at, no ray at knee height escapes the world.
      for (let k = 0; k < 4; k++) {
        const spot = findSpawnPoint(layout, physics, new SeededRandom(view.seed * 10 + k));
        for (let d = 0; d < 16; d++) {
          const a = (d / 16) * Math.PI * 2;
          const hit = physics.world.castRay(new RAPIER.Ray({ x: spot.x, y: spot.y + 0.5, z: spot.z }, { x: Math.sin(a), y: 0, z: Math.cos(a) }), 100, true);
          expect(hit, `seed ${view.seed}: from (${spot.x.toFixed(1)}, ${spot.z.toFixed(1)}) a ray at ${(a * 180) / Math.PI}° leaves the world`).not.toBeNull();
          expect(hit!.timeOfImpact, `seed ${view.seed}`).toBeLessThan(45);
        }
      }
      physics.dispose();
      expect(view.spawnError, `seed ${view.seed}`).toBeUndefined();
    }
  });

  it('stays cheap to draw and gives the scripted players landmarks', () => {
    for (const view of views) {
      const layout = view.layout!;
      // Each proxy mesh is one draw call, plus the sky: the bound for the whole world.
      expect(layout.statics.length + 1, `seed ${view.seed}`).toBeLessThanOrEqual(200);
      expect(view.drawCalls, `seed ${view.seed}`).toBeGreaterThan(0);
      expect(layout.statics.some((s) => s.landmark), `seed ${view.seed}`).toBe(true);
    }
  });
});
