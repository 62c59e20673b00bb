import { backdrop, outerGround } from './backdrop.ts';
import { type Climb, connector, railing, runLength } from './connectors.ts';
import { landmark } from './landmark.ts';
import { mixHex, shadeHex } from './palettes.ts';
import { perimeterWall } from './perimeterWall.ts';
import { bench, flagpole, lamp, planter, shrub, tree } from './props.ts';
import type { WorldKit } from './WorldKit.ts';

/** A raised floor: a solid block from below the ground up to `top`. */
interface Platform {
  minX: number;
  maxX: number;
  minZ: number;
  maxZ: number;
  top: number;
}

/**
 * Stairs and ramps: floors at several heights joined by flights of stairs (risers ≤ 0.25 m) and
 * ramps (≤ 22°), inside a wall. Variants: a `ziggurat` of tiers with the landmark on top, an
 * `amphitheatre` of seat rings facing a stage, `split` levels (quadrants at different heights
 * round a sunken cross) and a `hillside` of terraces climbing one way.
 */
export function buildTerraces(kit: WorldKit): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  kit.box('ground', [2 * hx + 1.2, 0.4, 2 * hz + 1.2], [0, -0.2, 0]);
  outerGround(kit, 'path', -0.05);
  const platforms: Platform[] = [];
  kit.groundAt = (x, z) => platforms.reduce((h, p) => (x >= p.minX && x <= p.maxX && z >= p.minZ && z <= p.maxZ ? Math.max(h, p.top) : h), 0);
  switch (recipe.variant) {
    case 'ziggurat':
      ziggurat(kit, platforms);
      break;
    case 'amphitheatre':
      amphitheatre(kit);
      break;
    case 'split':
      split(kit, platforms);
      break;
    default:
      hillside(kit, platforms);
  }
  const wallTop = Math.max(4, ...platforms.map((p) => p.top + 2.2));
  perimeterWall(kit, hx, hz, { height: wallTop, pilasterEvery: rng.chance(0.5) ? 5 : 0 });
  backdrop(kit, rng.pick(['mountains', 'forest', 'city', 'mesas'] as const));
}

/** A block with retaining-wall sides and a paved top. */
function platform(kit: WorldKit, platforms: Platform[], p: Platform, wall = 'wall', top = 'path', tint = 0xffffff): void {
  platforms.push(p);
  const w = p.maxX - p.minX;
  const d = p.maxZ - p.minZ;
  const cx = (p.minX + p.maxX) / 2;
  const cz = (p.minZ + p.maxZ) / 2;
  kit.box(wall, [w, p.top + 0.5, d], [cx, (p.top - 0.5) / 2, cz], { tint });
  kit.box(top, [w + 0.1, 0.06, d + 0.1], [cx, p.top + 0.03, cz]);
  // A pale coping along the edges: each level's outline reads from below and from afar.
  kit.box('trim', [w + 0.2, 0.16, 0.3], [cx, p.top - 0.02, p.minZ + 0.1]);
  kit.box('trim', [w + 0.2, 0.16, 0.3], [cx, p.top - 0.02, p.maxZ - 0.1]);
  kit.box('trim', [0.3, 0.16, d], [p.minX + 0.1, p.top - 0.02, cz]);
  kit.box('trim', [0.3, 0.16, d], [p.maxX - 0.1, p.top - 0.02, cz]);
}

/** Light tints that tell levels apart (the wall texture carries the colour). */
function levelTint(kit: WorldKit, k: number): number {
  const { palette } = kit;
  return [0xffffff, mixHex(0xffffff, palette.accent, 0.35), mixHex(0xffffff, palette.accent2, 0.35), 0xe0e0e0][k % 4]!;
}

function ziggurat(kit: WorldKit, platforms: Platform[]): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const rise = rng.range(1.0, 1.5);
  const kinds = ['stairs', 'ramp'] as const;
  // Each ring (and the ground round the base) is wide enough for a ramp and a walk past its foot.
  const ring = runLength('ramp', rise) + 1.4;
  const tiers = Math.max(2, Math.min(4, Math.floor((Math.min(hx, hz) - 2.5) / ring) - 1));
  let sx = hx - ring;
  let sz = hz - ring;
  let first = rng.int(0, 3);
  for (let k = 1; k <= tiers; k++) {
    const top = k * rise;
    platform(kit, platforms, { minX: -sx, maxX: sx, minZ: -sz, maxZ: sz, top }, 'wall', k === tiers ? 'ground' : 'path', levelTint(kit, k));
    // Flights on one or two sides, turning a quarter each tier so the way up spirals.
    const sides = rng.chance(0.5) ? [first] : [first, (first + 2) % 4];
    for (const side of sides) {
      const kind = rng.pick(kinds);
      const width = rng.range(2, 3.2);
      const climb = ((side + 2) % 4) as Climb; // towards the middle
      const edge: [number, number] = [[0, -sz], [sx, 0], [0, sz], [-sx, 0]][side] as [number, number];
      connector(kit, kind, edge[0], edge[1], climb, top - rise, top, width, k % 2 ? 'trim' : 'stone');
    }
    first = (first + 1) % 4;
    // Corners of each tier: planters or lamps.
    for (const [dx, dz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) {
      const x = dx * (sx - 0.9);
      const z = dz * (sz - 0.9);
      if (!kit.isFree(x, z, 0.6, 0)) continue;
      if (k % 2) lamp(kit, x, top, z, 2.6, 0);
      else shrub(kit, x, top, z, 0.6);
      kit.claim(x, z, 0.7);
    }
    sx -= ring;
    sz -= ring;
  }
  landmark(kit, recipe.landmark, 0, tiers * rise + 0.06, 0);
  // The ground round the base: trees and flags.
  for (const [x, z] of kit.scatter(rng.int(4, 8), 1.2, [-hx + 1, -hz + 1, hx - 1, hz - 1])) {
    if (kit.groundAt(x, z) > 0) continue;
    if (rng.chance(0.6)) tree(kit, rng.pick(['palm', 'poplar', 'round', 'diamond'] as const), x, 0, z, rng.range(0.8, 1.1));
    else flagpole(kit, x, 0, z, rng.range(4, 6), rng.range(0, 6));
  }
}

function amphitheatre(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const riser = 0.28;
  const tread = rng.range(0.85, 1.1);
  const stage = rng.range(3.5, 5);
  const rows = Math.max(5, Math.min(10, Math.floor((Math.min(hx, hz) - stage - 2.5) / tread)));
  const full = rng.chance(0.35);
  // Seats face the stage from the south half (or all round, with two gaps to walk in).
  const arc = full ? Math.PI * 2 : Math.PI * rng.range(0.9, 1.2);
  const facing = rng.pick([0, Math.PI / 2, Math.PI, -Math.PI / 2]);
  const gaps = full ? [facing, facing + Math.PI] : [];
  const segments = full ? 28 : 14;
  const tints = [0xffffff, shadeHex(0xffffff, 0.88)];
  kit.define('seats', { pattern: rng.pick(['stone', 'blocks', 'plain'] as const), color: mixHex(palette.stone, palette.light, 0.4), scale: 2 });
  for (let row = 0; row < rows; row++) {
    const r0 = stage + 1.2 + row * tread;
    const top = (row + 1) * riser;
    for (let s = 0; s < segments; s++) {
      const a = facing - arc / 2 + ((s + 0.5) / segments) * arc;
      if (gaps.some((g) => Math.abs(Math.atan2(Math.sin(a - g), Math.cos(a - g))) < 0.16)) continue;
      const chord = 2 * (r0 + tread) * Math.sin(arc / segments / 2) + 0.06;
      kit.box('seats', [chord, top + 0.5, tread], [Math.sin(a) * (r0 + tread / 2), (top - 0.5) / 2, Math.cos(a) * (r0 + tread / 2)], { yaw: a, tint: rng.chance(0.1) ? mixHex(0xffffff, palette.accent, 0.5) : tints[row % 2]! });
    }
  }
  const outer = stage + 1.2 + rows * tread;
  kit.groundAt = (x, z) => {
    const r = Math.hypot(x, z);
    const off = Math.abs(Math.atan2(Math.sin(Math.atan2(x, z) - facing), Math.cos(Math.atan2(x, z) - facing)));
    if (r < stage) return 0.25;
    if (r < stage + 1.2 || r > outer || off > arc / 2) return 0;
    return Math.ceil((r - stage - 1.2) / tread + 1e-6) * riser;
  };
  kit.claim(0, 0, outer);
  // The stage: a round platform a step up, with a backdrop of columns when seats face one way.
  kit.cylinder('ground', stage, stage, 0.25, [0, 0.125, 0], { segments: 24 });
  landmark(kit, recipe.landmark, 0, 0.25, 0);
  if (!full) {
    const back = facing + Math.PI;
    const bx = Math.sin(back) * (stage + 1.5);
    const bz = Math.cos(back) * (stage + 1.5);
    kit.group('stage-front', () => {
      kit.box('wall', [stage * 2.4, 5, 0.8], [bx, 2.5, bz], { yaw: back });
      for (let i = -2; i <= 2; i++) {
        const u = (i * stage * 2.2) / 5;
        kit.cylinder('trim', 0.25, 0.28, 4.6, [bx + Math.cos(back) * u - Math.sin(back) * 0.6, 2.3, bz - Math.sin(back) * u - Math.cos(back) * 0.6], { segments: 10 });
      }
      kit.box('accent', [stage * 2.6, 0.5, 1.0], [bx - Math.sin(back) * 0.1, 5.0, bz - Math.cos(back) * 0.1], { yaw: back });
    });
    kit.claim(bx, bz, stage);
  }
  // Round the outside: lamps and trees.
  for (let i = 0; i < 8; i++) {
    const a = facing + (i / 8) * Math.PI * 2;
    const x = Math.sin(a) * (outer + 1.2);
    const z = Math.cos(a) * (outer + 1.2);
    if (Math.abs(x) > hx - 1 || Math.abs(z) > hz - 1) continue;
    lamp(kit, x, kit.groundAt(x, z), z, 3.4, 1);
  }
  for (const [x, z] of kit.scatter(rng.int(3, 6), 1.2, [-hx + 1, -hz + 1, hx - 1, hz - 1])) tree(kit, rng.pick(['poplar', 'round', 'pine'] as const), x, 0, z, rng.range(0.8, 1.1));
}

function split(kit: WorldKit, platforms: Platform[]): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const street = rng.range(5, 6) / 2;
  const levels = rng.shuffle([0.9, 1.8, 2.7, 3.6]);
  const quadrants = [[-1, -1], [1, -1], [1, 1], [-1, 1]] as const;
  const highest = levels.indexOf(Math.max(...levels));
  quadrants.forEach(([sx, sz], q) => {
    const top = levels[q]!;
    const p: Platform = { minX: sx < 0 ? -hx : street, maxX: sx < 0 ? -street : hx, minZ: sz < 0 ? -hz : street, maxZ: sz < 0 ? -street : hz, top };
    platform(kit, platforms, p, rng.chance(0.5) ? 'wall' : 'stone', rng.chance(0.5) ? 'ground' : 'path', levelTint(kit, q));
    // Up from the street: on each inner edge a flight runs along the edge, in the street, and
    // ends level with the block beside its top step.
    const width = 1.8;
    const kind = top > 2.6 ? 'stairs' : rng.pick(['stairs', 'ramp'] as const);
    const run = runLength(kind, top);
    const zEdge = sz < 0 ? -street : street;
    const xEdge = sx < 0 ? -street : street;
    const gapsX: [number, number][] = [];
    const gapsZ: [number, number][] = [];
    // Edge along x (at z = zEdge): the flight climbs away from the middle, towards the wall.
    const xTop = sx * Math.min(hx - 1, street + run + rng.range(0.5, 2));
    connector(kit, kind, xTop, zEdge - sz * (width / 2), sx < 0 ? 3 : 1, 0, top, width, 'trim');
    gapsX.push([Math.min(xTop, xTop - sx * 1.4), Math.max(xTop, xTop - sx * 1.4)]);
    const zTop = sz * Math.min(hz - 1, street + run + rng.range(0.5, 2));
    connector(kit, kind, xEdge - sx * (width / 2), zTop, sz < 0 ? 0 : 2, 0, top, width, 'stone');
    gapsZ.push([Math.min(zTop, zTop - sz * 1.4), Math.max(zTop, zTop - sz * 1.4)]);
    edgeRail(kit, [p.minX, p.maxX], zEdge + sz * 0.15, true, top, gapsX);
    edgeRail(kit, [p.minZ, p.maxZ], xEdge + sx * 0.15, false, top, gapsZ);
    // Something on each level; the landmark on the highest.
    const cx = (p.minX + p.maxX) / 2;
    const cz = (p.minZ + p.maxZ) / 2;
    if (q === highest) landmark(kit, recipe.landmark, cx, top + 0.06, cz);
    for (const [x, z] of kit.scatter(rng.int(2, 4), 1.2, [p.minX + 1, p.minZ + 1, p.maxX - 1, p.maxZ - 1])) {
      const what = rng.next();
      if (what < 0.5) tree(kit, rng.pick(['round', 'diamond', 'poplar'] as const), x, top + 0.06, z, rng.range(0.8, 1.1));
      else if (what < 0.75) planter(kit, x, top + 0.06, z, 2, rng.pick([0, Math.PI / 2]), false);
      else bench(kit, x, top + 0.06, z, rng.range(0, 6));
    }
  });
  // The street: lamps at the crossing.
  for (const [x, z] of [[street - 0.6, street - 0.6], [-street + 0.6, -street + 0.6]] as const) lamp(kit, x, 0, z, 3.4, 0);
}

/** A railing along one edge of a block, broken by `gaps` (spans along the edge). */
function edgeRail(kit: WorldKit, span: [number, number], fixed: number, alongX: boolean, y: number, gaps: [number, number][]): void {
  const a = Math.min(...span) + 0.2;
  const b = Math.max(...span) - 0.2;
  let start = a;
  for (const [g0, g1] of [...gaps].sort((p, q) => p[0] - q[0])) {
    if (g0 > start) rail(kit, alongX, fixed, start, g0, y);
    start = Math.max(start, g1);
  }
  if (b > start) rail(kit, alongX, fixed, start, b, y);
}

function rail(kit: WorldKit, alongX: boolean, fixed: number, from: number, to: number, y: number): void {
  if (alongX) railing(kit, from, fixed, to, fixed, y);
  else railing(kit, fixed, from, fixed, to, y);
}

function hillside(kit: WorldKit, platforms: Platform[]): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const steps = rng.int(4, 5);
  const rise = rng.range(0.8, 1.4);
  const alongZ = rng.chance(0.5) ? 1 : -1;
  // The flights first: each climbs from terrace k − 1 to k at alternate sides (the way up zigzags).
  let side = rng.pick([-1, 1]);
  const flights = Array.from({ length: steps }, () => {
    const kind = rng.pick(['stairs', 'ramp'] as const);
    const flight = { kind, x: side * rng.range(hx * 0.35, hx * 0.7), width: rng.range(2, 3), run: runLength(kind, rise) };
    side = -side;
    return flight;
  });
  // The bottom strip holds the first flight and room to walk round its foot.
  const bottom = Math.max(4, flights[0]!.run + 1.8);
  const depth = (2 * hz - bottom) / steps;
  kit.define('vines', { pattern: 'foliage', color: mixHex(palette.foliage, 0x4a8a3a, 0.5), scale: 1 });
  // Terrace k's front edge (world z): it spans from there to the back wall.
  const edgeOf = (k: number): number => alongZ * (-hz + bottom + (k - 1) * depth);
  for (let k = 1; k <= steps; k++) {
    const top = k * rise;
    const edgeZ = edgeOf(k);
    const p: Platform = alongZ > 0 ? { minX: -hx, maxX: hx, minZ: edgeZ, maxZ: hz, top } : { minX: -hx, maxX: hx, minZ: -hz, maxZ: edgeZ, top };
    platform(kit, platforms, p, 'stone', k % 2 ? 'ground' : 'path', levelTint(kit, k));
    const f = flights[k - 1]!;
    connector(kit, f.kind, f.x, edgeZ, alongZ > 0 ? 2 : 0, top - rise, top, f.width, 'trim');
    edgeRail(kit, [-hx, hx], edgeZ + alongZ * 0.15, true, top, [[f.x - f.width / 2 - 0.2, f.x + f.width / 2 + 0.2]]);
  }
  // Then what stands on the terraces, kept off the flights (and the ground in front of them).
  for (let k = 1; k < steps; k++) {
    const top = k * rise;
    const edgeZ = edgeOf(k);
    const next = flights[k]!;
    const keepOut: [number, number] = [next.x - next.width / 2 - 1, next.x + next.width / 2 + 1];
    if (k % 2 === 0) {
      // Rows of vines, with a gap down the middle and round the flight up.
      for (let r = 0; r < Math.floor((depth - 2) / 1.6); r++) {
        const z = edgeZ + alongZ * (1.8 + r * 1.6);
        const cuts = [[-2, 2], keepOut].sort((a, b) => a[0]! - b[0]!);
        let from = -hx + 1;
        for (const [c0, c1] of [...cuts, [hx - 1, hx - 1]]) {
          if (c0! - from > 1) {
            kit.box('vines', [c0! - from, 0.9, 0.45], [(from + c0!) / 2, top + 0.45, z]);
            kit.claimRect((from + c0!) / 2, z, c0! - from, 0.6);
          }
          from = Math.max(from, c1!);
        }
      }
    } else {
      const z0 = edgeZ + alongZ * 1.2;
      const z1 = edgeZ + alongZ * (depth - 1.2);
      for (const [px, pz] of kit.scatter(rng.int(2, 3), 1.2, [-hx + 1, Math.min(z0, z1), hx - 1, Math.max(z0, z1)])) {
        if (px > keepOut[0] - 1 && px < keepOut[1] + 1) continue;
        if (rng.chance(0.6)) tree(kit, rng.pick(['round', 'poplar', 'diamond'] as const), px, top + 0.06, pz, rng.range(0.8, 1.1));
        else bench(kit, px, top + 0.06, pz, alongZ > 0 ? Math.PI : 0);
      }
    }
  }
  // The top terrace holds the landmark; flags on the bottom strip, clear of the first flight.
  const lz = (edgeOf(steps) + alongZ * hz) / 2;
  landmark(kit, recipe.landmark, 0, steps * rise + 0.06, lz);
  for (const x of [-hx * 0.75, hx * 0.75]) {
    if (Math.abs(x - flights[0]!.x) > flights[0]!.width / 2 + 1) flagpole(kit, x, 0, -alongZ * (hz - 1.2), rng.range(4, 6), rng.range(0, 6));
  }
}
