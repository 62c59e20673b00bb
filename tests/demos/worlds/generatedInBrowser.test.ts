import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldRecipe } from '../../../demos/worlds/generated.ts';
import { buildPhysicsWorld } from '../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { findSpawnPoint } from '../../../engine/runtime/scene/findSpawnPoint.ts';
import { previewWorlds, type WorldView } from '../../../engine/tools/cli/commands/worlds.ts';
import { SeededRandom } from '../../../worldmodel/index.ts';

// Seeds 0–9 hold two worlds of each family (different variants); 0 is built twice.
const SEEDS = [0, 1, 2, 3, 4, 0, 5, 6, 7, 8, 9];

describe('generated worlds, built for real in headless Chromium', () => {
  let views: WorldView[] = [];

  beforeAll(async () => {
    await RAPIER.init();
    views = await previewWorlds({ scene: 'generated', seeds: SEEDS, size: 32, supersample: 1, withLayout: true });
  }, 240_000);

  it('builds the same scene for the same seed and different scenes for different seeds', () => {
    const hashes = views.map((v) => v.hash);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashes[5]).toBe(hashes[0]);
    expect(Buffer.from(views[5]!.rgb).equals(Buffer.from(views[0]!.rgb))).toBe(true);
    expect(new Set(hashes).size).toBe(SEEDS.length - 1);
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

  it('lets a player walk from any spawn spot to the others (one connected walkable region)', () => {
    for (const view of views.slice(0, 5).concat(views.slice(6))) {
      const physics = buildPhysicsWorld(view.layout!, RAPIER);
      const spots = Array.from({ length: 20 }, (_, k) => findSpawnPoint(view.layout!, physics, new SeededRandom(500 + k)));
      const region = walkableRegions(physics, view.layout!.spawn, spots);
      const counts = new Map<number, number>();
      for (const r of region) counts.set(r, (counts.get(r) ?? 0) + 1);
      // A spot on a fountain's rim or a plinth may only be left by stepping down: allow one.
      expect(Math.max(...counts.values()), `seed ${view.seed}: spawn spots fall into ${counts.size} separate regions`).toBeGreaterThanOrEqual(19);
      physics.dispose();
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

/**
 * Which walkable region each spot lies in: a flood fill over a 0.4 m grid from each spot, stepping
 * to a neighbour when the floor there (found below knee height, so lintels and decks overhead do
 * not count) is within a 0.32 m step and no collider stands in the way at knee, waist or head
 * height. A grid cell may hold several floors (a deck over water), each visited on its own.
 * Independent of the generator: only the colliders are used.
 */
function walkableRegions(physics: ReturnType<typeof buildPhysicsWorld>, spawn: { minX: number; maxX: number; minZ: number; maxZ: number }, spots: { x: number; y: number; z: number }[]): number[] {
  const step = 0.4;
  const { minX, minZ } = spawn;
  const nx = Math.floor((spawn.maxX - minX) / step) + 1;
  const nz = Math.floor((spawn.maxZ - minZ) / step) + 1;
  const down = new RAPIER.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: -1, z: 0 });
  const across = new RAPIER.Ray({ x: 0, y: 0, z: 0 }, { x: 1, y: 0, z: 0 });
  const floorBelow = (x: number, z: number, from: number): number | null => {
    down.origin = { x, y: from, z };
    const hit = physics.world.castRayAndGetNormal(down, 30, true);
    return hit && hit.normal.y >= 0.7 ? from - hit.timeOfImpact : null;
  };
  const blocked = (x: number, y: number, z: number, dx: number, dz: number): boolean =>
    [0.45, 1.0, 1.6].some((lift) => {
      across.origin = { x, y: y + lift, z };
      across.dir = { x: dx, y: 0, z: dz };
      return physics.world.castRay(across, step, true) !== null;
    });
  // Per cell, the floors visited there and their regions.
  const floors = new Map<number, { y: number; region: number }[]>();
  const find = (cell: number, y: number) => floors.get(cell)?.find((f) => Math.abs(f.y - y) < 0.25);
  // Regions that turn out to touch are one (a step down is walkable one way only).
  const parent: number[] = [];
  const root = (r: number): number => (parent[r] === r ? r : (parent[r] = root(parent[r]!)));
  const regions = spots.map((spot) => {
    const start = Math.round((spot.x - minX) / step) * nz + Math.round((spot.z - minZ) / step);
    const known = find(start, spot.y);
    if (known) return known.region;
    const region = parent.length;
    parent.push(region);
    floors.set(start, [...(floors.get(start) ?? []), { y: spot.y, region }]);
    const stack: [number, number][] = [[start, spot.y]];
    while (stack.length > 0) {
      const [a, ya] = stack.pop()!;
      const i = Math.floor(a / nz);
      const j = a % nz;
      for (const [di, dj] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
        if (i + di < 0 || j + dj < 0 || i + di >= nx || j + dj >= nz) continue;
        const b = (i + di) * nz + j + dj;
        const x = minX + i * step;
        const z = minZ + j * step;
        const y = floorBelow(x + di * step, z + dj * step, ya + 0.6);
        if (y === null || Math.abs(y - ya) > 0.32 || blocked(x, Math.max(y, ya), z, di, dj)) continue;
        const seen = find(b, y);
        if (seen) {
          parent[root(seen.region)] = root(region);
          continue;
        }
        floors.set(b, [...(floors.get(b) ?? []), { y, region }]);
        stack.push([b, y]);
      }
    }
    return region;
  });
  return regions.map(root);
}
