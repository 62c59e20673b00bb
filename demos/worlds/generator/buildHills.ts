import { BufferAttribute, BufferGeometry, Color, Float32BufferAttribute } from 'three';
import { backdrop } from './backdrop.ts';
import { heightfieldGeometry } from './heightfieldGeometry.ts';
import { landmark, LANDMARK_RADIUS } from './landmark.ts';
import { hslHex, mixHex, shadeHex } from './palettes.ts';
import type { Pattern } from './patternTexture.ts';
import { rock, shrub, tree, type TreeKind } from './props.ts';
import type { WorldKit } from './WorldKit.ts';

interface Biome {
  ground: Pattern;
  groundColor: number;
  accent: number;
  rockColor: number;
  trees: TreeKind[];
  treeTints: number[];
  treeCount: [number, number];
  pond: boolean;
  /** What marks the edge before the cliffs rise. */
  edge: 'fence' | 'wall' | 'none';
  backdrop: 'mountains' | 'forest' | 'mesas';
}

/** Steepest ground inside the walkable area, as rise over run (≈ 24°). */
const MAX_SLOPE = 0.45;
const SEGMENTS = 56;

/**
 * Open ground: a heightfield of gentle hills (one triangle-mesh floor proxy) that rises into
 * cliffs too steep to climb all round, with trees, rocks, a pond or a path, and the landmark on
 * a rise. Biomes (the variant) set the ground, trees and edge: meadow, desert, snow, autumn, moor.
 */
export function buildHills(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const biome = biomeOf(kit);
  kit.define('ground', { pattern: biome.ground, color: biome.groundColor, accent: biome.accent, scale: 2.5 });
  kit.define('rock', { pattern: 'rock', color: biome.rockColor, scale: 2 });
  // Autumn leaves take their colour from the tint alone: a pale foliage texture under it.
  if (recipe.variant === 'autumn') kit.define('foliage', { pattern: 'foliage', color: 0xd8d0b0, scale: 1.5 });

  // Hills: a few soft bumps and hollows, scaled so no slope inside the walkable area is steep.
  const bumps = Array.from({ length: rng.int(5, 9) }, () => ({ x: rng.range(-hx, hx), z: rng.range(-hz, hz), s: rng.range(3, 7), a: rng.range(-1, 2.6) }));
  const pond = biome.pond && rng.chance(0.75) ? { x: rng.range(-hx * 0.5, hx * 0.5), z: rng.range(-hz * 0.5, hz * 0.5), r: rng.range(2.5, 4) } : null;
  if (pond) bumps.push({ x: pond.x, z: pond.z, s: pond.r * 0.7, a: -2.2 });
  const raw = (x: number, z: number): number => bumps.reduce((h, b) => h + b.a * Math.exp(-((x - b.x) ** 2 + (z - b.z) ** 2) / (2 * b.s * b.s)), 0);
  let steepest = 0;
  for (let x = -hx; x <= hx; x += 0.5) for (let z = -hz; z <= hz; z += 0.5) {
    steepest = Math.max(steepest, Math.hypot(raw(x + 0.25, z) - raw(x - 0.25, z), raw(x, z + 0.25) - raw(x, z - 0.25)) / 0.5);
  }
  const k = steepest > MAX_SLOPE ? MAX_SLOPE / steepest : 1;
  const inner = (x: number, z: number): number => k * raw(x, z);
  // Beyond the edge (a rounded rectangle) the ground climbs at 60°+ into cliffs.
  const rimPhase = rng.range(0, 6.28);
  const rimHeight = rng.range(7, 12);
  const heightAt = (x: number, z: number): number => {
    const q = Math.pow(Math.pow(Math.abs(x) / hx, 6) + Math.pow(Math.abs(z) / hz, 6), 1 / 6);
    const d = (q - 1) * Math.min(hx, hz);
    const base = inner(x, z);
    if (d <= 0) return base;
    const wobble = 1 + 0.3 * Math.sin(Math.atan2(z, x) * 5 + rimPhase);
    return base + Math.min(rimHeight * wobble, 1.9 * d + 0.35 * d * d);
  };
  kit.groundAt = heightAt;
  const size = 2 * Math.max(hx, hz) + 30;
  const ground = heightfieldGeometry(size, SEGMENTS, heightAt);
  shadeTerrain(kit, ground.getAttribute('position') as BufferAttribute, ground, biome);
  kit.add('ground', ground, [0, 0, 0]);
  backdrop(kit, biome.backdrop);
  kit.spawn = { min: [-hx + 2, -hz + 2], max: [hx - 2, hz - 2] };

  if (pond) {
    // Water up to just below the lowest point of the rim, so the shore hides the disc's edge.
    const rim = Math.min(...Array.from({ length: 16 }, (_, i) => heightAt(pond.x + Math.sin(i * 0.39) * pond.r, pond.z + Math.cos(i * 0.39) * pond.r)));
    const level = rim - 0.08;
    if (level > heightAt(pond.x, pond.z) + 0.15) {
      kit.define('pondWater', { pattern: recipe.variant === 'snow' ? 'plain' : 'water', color: recipe.variant === 'snow' ? 0xcfe6f2 : palette.water, scale: 3 });
      kit.cylinder('pondWater', pond.r, pond.r, 0.1, [pond.x, level - 0.05, pond.z], { segments: 24 });
      kit.claim(pond.x, pond.z, pond.r + 0.5);
    }
  }

  // The landmark on the highest of a few spots near the middle.
  const spots = Array.from({ length: 8 }, () => [rng.range(-hx * 0.5, hx * 0.5), rng.range(-hz * 0.5, hz * 0.5)] as const).filter(([x, z]) => kit.isFree(x, z, LANDMARK_RADIUS[recipe.landmark]));
  const top = spots.reduce<readonly [number, number] | null>((best, s) => (!best || heightAt(...s) > heightAt(...best) ? s : best), null) ?? [0, 0];
  landmark(kit, recipe.landmark, top[0], lowestUnder(heightAt, top[0], top[1], 1.5) - 0.1, top[1]);

  // A second place: a hut, a ring of standing stones or a stone pillar, by biome.
  const [second] = kit.scatter(1, 3.2, [-hx + 4, -hz + 4, hx - 4, hz - 4], 200);
  if (second) {
    const [x, z] = second;
    const y = lowestUnder(heightAt, x, z, 2);
    if (recipe.variant === 'moor' || (recipe.variant === 'desert' && rng.chance(0.5))) standingStones(kit, x, y, z, recipe.variant === 'desert');
    else hut(kit, x, y, z, rng.range(0, Math.PI * 2));
  }

  // Trees in clumps, rocks, shrubs.
  const clumps = Array.from({ length: rng.int(2, 4) }, () => [rng.range(-hx + 3, hx - 3), rng.range(-hz + 3, hz - 3)] as const);
  const trees = rng.int(...biome.treeCount);
  for (let i = 0; i < trees; i++) {
    const [cx, cz] = rng.chance(0.75) ? rng.pick(clumps) : [rng.range(-hx, hx), rng.range(-hz, hz)];
    const x = cx + rng.range(-5, 5);
    const z = cz + rng.range(-5, 5);
    if (!kit.isFree(x, z, 1.2, 0.8)) continue;
    kit.claim(x, z, 1.2);
    tree(kit, rng.pick(biome.trees), x, heightAt(x, z) - 0.15, z, rng.range(0.8, 1.3), rng.pick(biome.treeTints));
  }
  for (const [x, z] of kit.scatter(rng.int(5, 12), 1.0, [-hx, -hz, hx, hz])) rock(kit, x, heightAt(x, z) - 0.1, z, rng.range(0.4, 1.1));
  // Boulders where the cliffs begin: the edge reads as rock, not a painted wall.
  for (let i = 0; i < 16; i++) {
    const a = (i / 16) * Math.PI * 2 + rng.range(-0.1, 0.1);
    const x = Math.sin(a) * hx * 1.02;
    const z = Math.cos(a) * hz * 1.02;
    const f = 1 / Math.pow(Math.pow(Math.abs(x) / hx, 6) + Math.pow(Math.abs(z) / hz, 6), 1 / 6);
    rock(kit, x * f * 1.02, heightAt(x * f, z * f), z * f * 1.02, rng.range(0.8, 1.8));
  }
  const shrubTint = mixHex(biome.groundColor, 0x406030, 0.5);
  for (const [x, z] of kit.scatter(rng.int(6, 14), 0.6, [-hx, -hz, hx, hz])) shrub(kit, x, heightAt(x, z) - 0.1, z, rng.range(0.35, 0.7), shrubTint);
  if (recipe.variant === 'meadow' || recipe.variant === 'autumn') flowers(kit, heightAt);
  if (recipe.variant === 'desert') {
    for (const [x, z] of kit.scatter(rng.int(2, 4), 1.8, [-hx + 3, -hz + 3, hx - 3, hz - 3])) {
      const h = rng.range(3.5, 7);
      kit.cylinder('rock', rng.range(0.3, 0.45), rng.range(1.4, 1.9), h, [x, heightAt(x, z) + h / 2 - 0.3, z], { segments: 7, flat: true, yaw: rng.range(0, 3) });
    }
  }
  if (biome.edge !== 'none') edgeFence(kit, heightAt, biome.edge);
}

function biomeOf(kit: WorldKit): Biome {
  const { palette, rng } = kit;
  const tint = (hex: number): number => mixHex(hex, palette.ground, 0.15);
  switch (kit.recipe.variant) {
    case 'desert':
      return { ground: 'sand', groundColor: tint(hslHex(rng.range(28, 42), 0.5, 0.66)), accent: 0, rockColor: hslHex(rng.range(10, 25), 0.45, 0.5), trees: ['cactus', 'cactus', 'palm'], treeTints: [0xffffff], treeCount: [14, 24], pond: false, edge: 'none', backdrop: 'mesas' };
    case 'snow':
      return { ground: 'snow', groundColor: 0xeef3fa, accent: 0, rockColor: 0x7d8590, trees: ['pine', 'pine', 'dead'], treeTints: [0xffffff, 0xdfe8e0, 0xc8d8d0], treeCount: [24, 40], pond: true, edge: 'none', backdrop: 'mountains' };
    case 'autumn':
      return { ground: 'leaves', groundColor: tint(hslHex(rng.range(25, 40), 0.45, 0.45)), accent: hslHex(15, 0.7, 0.45), rockColor: 0x8a8478, trees: ['round', 'diamond', 'round', 'dead'], treeTints: [hslHex(20, 0.9, 0.75), hslHex(40, 0.9, 0.75), hslHex(5, 0.8, 0.7), hslHex(50, 0.9, 0.8)], treeCount: [24, 40], pond: true, edge: 'wall', backdrop: 'forest' };
    case 'moor':
      return { ground: 'heather', groundColor: tint(hslHex(rng.range(290, 320), 0.2, 0.4)), accent: hslHex(300, 0.45, 0.55), rockColor: 0x77767a, trees: ['dead', 'diamond', 'pine'], treeTints: [0xb0b8a0, 0xd0c8a0], treeCount: [8, 16], pond: true, edge: 'wall', backdrop: 'mountains' };
    default:
      return { ground: 'grass', groundColor: tint(hslHex(rng.range(85, 120), rng.range(0.35, 0.55), rng.range(0.38, 0.48))), accent: 0, rockColor: shadeHex(palette.stone, 0.9), trees: ['round', 'diamond', 'poplar', 'pine'], treeTints: [0xffffff, 0xe0f0c0, mixHex(0xffffff, palette.accent, 0.25)], treeCount: [22, 40], pond: true, edge: 'fence', backdrop: rng.pick(['forest', 'mountains']) };
  }
}

/** Vertex colours: rock grey on steep ground and cliffs, lighter on the heights, a dirt path. */
function shadeTerrain(kit: WorldKit, position: BufferAttribute, geometry: BufferGeometry, biome: Biome): void {
  const { rng, recipe } = kit;
  const normal = geometry.getAttribute('normal');
  const colours = new Float32Array(position.count * 3);
  // Vertex colours multiply the ground texture: grey-ish for rock, warm for dirt.
  const rockC = new Color(recipe.variant === 'snow' ? 0x9aa4b0 : mixHex(biome.rockColor, 0x999999, 0.3));
  const path = Array.from({ length: 4 }, (_, i) => [-recipe.halfX + (i * 2 * recipe.halfX) / 3, rng.range(-recipe.halfZ * 0.6, recipe.halfZ * 0.6)] as const);
  const dirt = new Color(recipe.variant === 'snow' ? 0xd8dde6 : 0xb89a74);
  const phase = rng.range(0, 6.28);
  const c = new Color();
  for (let i = 0; i < position.count; i++) {
    const x = position.getX(i);
    const y = position.getY(i);
    const z = position.getZ(i);
    const steep = 1 - normal.getY(i);
    c.setRGB(1, 1, 1);
    // Path: distance to the polyline.
    let d = Infinity;
    for (let k = 0; k + 1 < path.length; k++) d = Math.min(d, segmentDistance(x, z, path[k]!, path[k + 1]!));
    if (d < 1.3) c.lerp(dirt, 0.55 * (1 - d / 1.3));
    // Broad light and dark patches, so open ground shows where one is on it.
    const patch = Math.sin(x * 0.21 + phase) * Math.sin(z * 0.17 - phase) + 0.5 * Math.sin((x + z) * 0.37 + 2 * phase);
    c.multiplyScalar(1 + 0.12 * patch);
    c.lerp(rockC, Math.min(1, Math.max(0, (steep - 0.12) * 3)));
    c.multiplyScalar(0.92 + Math.min(0.16, Math.max(-0.1, y * 0.04)));
    colours.set([c.r, c.g, c.b], i * 3);
  }
  geometry.setAttribute('color', new BufferAttribute(colours, 3));
}

/** Patches of small bright flowers. */
function flowers(kit: WorldKit, heightAt: (x: number, z: number) => number): void {
  const { rng, recipe, palette } = kit;
  const colours = [palette.accent, palette.accent2, 0xf4e04d, 0xf2f2f2, 0xe2506a];
  for (let p = 0; p < rng.int(3, 6); p++) {
    const cx = rng.range(-recipe.halfX + 2, recipe.halfX - 2);
    const cz = rng.range(-recipe.halfZ + 2, recipe.halfZ - 2);
    const colour = rng.pick(colours);
    for (let i = 0; i < 10; i++) {
      const x = cx + rng.range(-2, 2);
      const z = cz + rng.range(-2, 2);
      if (!kit.isFree(x, z, 0.2)) continue;
      kit.cone('paint', 0.16, 0.35, [x, heightAt(x, z) - 0.05, z], { segments: 5, tint: colour });
    }
  }
}

function segmentDistance(x: number, z: number, a: readonly [number, number], b: readonly [number, number]): number {
  const dx = b[0] - a[0];
  const dz = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (z - a[1]) * dz) / (dx * dx + dz * dz)));
  return Math.hypot(x - a[0] - t * dx, z - a[1] - t * dz);
}

function lowestUnder(heightAt: (x: number, z: number) => number, x: number, z: number, r: number): number {
  return Math.min(heightAt(x, z), heightAt(x + r, z), heightAt(x - r, z), heightAt(x, z + r), heightAt(x, z - r));
}

/** A small closed hut with a steep roof. */
function hut(kit: WorldKit, x: number, y: number, z: number, yaw: number): void {
  kit.claim(x, z, 3);
  kit.group('hut', () => {
    kit.box('wood', [3.2, 2.6, 2.8], [x, y + 1.2, z], { yaw });
    kit.add('roof', roofGeometry(3.8, 2.0, 3.4), [x, y + 2.5, z], { yaw, flat: true });
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    kit.box('metal', [0.9, 1.8, 0.1], [x + s * 1.42, y + 0.9, z + c * 1.42], { yaw });
    kit.box(kit.recipe.light.lampsLit ? 'glow' : 'trim', [0.7, 0.6, 0.1], [x + c * 0.9 + s * 1.42, y + 1.5, z - s * 0.9 + c * 1.42], { yaw });
  });
}

/** A gable roof: a triangular prism along x, `width` wide at the eaves and `height` high (50°: never a floor). */
function roofGeometry(length: number, height: number, width: number): BufferGeometry {
  const l = length / 2;
  const w = width / 2;
  const v = (x: number, y: number, z: number): number[] => [x, y, z];
  const a = v(-l, 0, w), b = v(l, 0, w), c = v(l, height, 0), d = v(-l, height, 0), e = v(-l, 0, -w), f = v(l, 0, -w);
  const tri = (p: number[], q: number[], r: number[]): number[] => [...p, ...q, ...r];
  const positions = [...tri(a, b, c), ...tri(a, c, d), ...tri(f, e, d), ...tri(f, d, c), ...tri(e, a, d), ...tri(b, f, c), ...tri(a, e, f), ...tri(a, f, b)];
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  return geometry;
}

/** A ring of tall stones (or, in the desert, a single weathered pillar). */
function standingStones(kit: WorldKit, x: number, y: number, z: number, pillarOnly: boolean): void {
  const { rng } = kit;
  kit.claim(x, z, 3.2);
  kit.group(pillarOnly ? 'rock-pillar' : 'stone-circle', () => {
    if (pillarOnly) {
      kit.cylinder('rock', 0.5, 1.6, 6.5, [x, y + 3.1, z], { segments: 7, flat: true });
      return;
    }
    const n = rng.int(5, 8);
    for (let i = 0; i < n; i++) {
      const a = (i / n) * Math.PI * 2;
      const h = rng.range(1.8, 3.2);
      kit.box('rock', [0.9, h, 0.5], [x + Math.sin(a) * 2.6, y + h / 2 - 0.2, z + Math.cos(a) * 2.6], { rotation: [rng.range(-0.1, 0.1), a, rng.range(-0.1, 0.1)] });
    }
  });
}

/** A fence or dry-stone wall just inside the edge, following the ground. */
function edgeFence(kit: WorldKit, heightAt: (x: number, z: number) => number, kind: 'fence' | 'wall'): void {
  const { halfX: hx, halfZ: hz } = kit.recipe;
  const step = kind === 'fence' ? 2.4 : 1.6;
  const corners: [number, number][] = [[-hx + 0.6, -hz + 0.6], [hx - 0.6, -hz + 0.6], [hx - 0.6, hz - 0.6], [-hx + 0.6, hz - 0.6]];
  for (let c = 0; c < 4; c++) {
    const [x0, z0] = corners[c]!;
    const [x1, z1] = corners[(c + 1) % 4]!;
    const length = Math.hypot(x1 - x0, z1 - z0);
    const n = Math.round(length / step);
    const yaw = Math.atan2(-(z1 - z0), x1 - x0); // local x along the side
    for (let i = 0; i < n; i++) {
      const xa = x0 + ((x1 - x0) * i) / n;
      const za = z0 + ((z1 - z0) * i) / n;
      const xb = x0 + ((x1 - x0) * (i + 1)) / n;
      const zb = z0 + ((z1 - z0) * (i + 1)) / n;
      const ya = heightAt(xa, za);
      const yb = heightAt(xb, zb);
      const pitch = Math.atan2(yb - ya, length / n);
      const mx = (xa + xb) / 2;
      const mz = (za + zb) / 2;
      if (kind === 'fence') {
        kit.box('wood', [0.14, 1.3, 0.14], [xa, ya + 0.55, za]);
        for (const h of [0.5, 1.0]) kit.box('wood', [length / n + 0.1, 0.1, 0.06], [mx, (ya + yb) / 2 + h, mz], { rotation: [0, yaw, pitch] });
      } else {
        kit.box('stone', [length / n + 0.1, 1.1, 0.6], [mx, (ya + yb) / 2 + 0.4, mz], { rotation: [0, yaw, pitch] });
      }
    }
  }
}
