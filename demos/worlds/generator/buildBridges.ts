import { backdrop } from './backdrop.ts';
import { railing } from './connectors.ts';
import { deckGeometry } from './deckGeometry.ts';
import { landmark } from './landmark.ts';
import { mixHex } from './palettes.ts';
import { perimeterWall } from './perimeterWall.ts';
import { bench, lamp, rock, shrub, statue, tree } from './props.ts';
import type { WorldKit } from './WorldKit.ts';
import { LANDMARKS } from './worldRecipe.ts';

/** A channel's frame: `u` runs along it, `v` across; along x means u = x, v = z. */
interface Channel {
  alongX: boolean;
  /** Centre line (v) and the span along u. */
  v: number;
  width: number;
  from: number;
  to: number;
  /** Water surface, or, in a gorge, the bottom of the V. */
  floor: number;
  gorge: boolean;
  /** Spans along u kept open in the bank parapets, per side (−1: low-v bank, 1: high-v bank): bridge landings. */
  gaps: Map<number, [number, number][]>;
  /** Spans along u with no bank at all (where another channel crosses). */
  open: [number, number][];
}

const WATER = -0.8;
const BRIDGE_STYLES = ['arch', 'beam', 'plank'] as const;

/**
 * Bridges over water or a gorge, inside a wall: a `river` crossing the world, a `moat` round an
 * island, a `canyon` (a V-shaped gorge no one can stand in, railed along its rims) and `canals`
 * crossing in the middle. Bridges are arched stone, flat beams on piers or sagging planks, all
 * with railings. Water is knee-deep between sloped banks: a player who ends up in it walks out
 * anywhere (a channel with walls and a few stairs kept scripted players wading for whole episodes).
 */
export function buildBridges(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz, variant } = recipe;
  kit.define('bank', { pattern: rng.pick(['stone', 'blocks', 'bricks'] as const), color: mixHex(palette.stone, palette.main, 0.3), scale: 2 });
  if (variant === 'canyon') {
    kit.define('ground', { pattern: rng.pick(['grass', 'sand', 'gravel'] as const), color: mixHex(palette.ground, 0x8a9a5a, 0.4), scale: 2.5 });
    kit.define('bank', { pattern: 'rock', color: mixHex(palette.stone, 0xa0704a, 0.4), scale: 3 });
  }
  const channels: Channel[] = [];
  const deep = variant === 'canyon' ? -rng.range(6, 9) : WATER;
  const alongX = rng.chance(0.5);
  const [hu, hv] = alongX ? [hx, hz] : [hz, hx];
  if (variant === 'river' || variant === 'canyon') {
    const width = variant === 'canyon' ? rng.range(5, 7) : rng.range(4.2, 6);
    channels.push(channel(alongX, rng.range(-hv * 0.25, hv * 0.25), width, -hu, hu, deep, variant === 'canyon'));
  } else if (variant === 'canals') {
    const w = rng.range(3.4, 4.2);
    channels.push(channel(true, 0, w, -hx, hx, WATER, false), channel(false, 0, w, -hz, -w / 2, WATER, false), channel(false, 0, w, w / 2, hz, WATER, false));
    // Where the canals cross there is no bank along the first one.
    channels[0]!.open.push([-w / 2, w / 2]);
  }
  if (variant === 'moat') moat(kit, rng.range(4.5, 6.5), rng.range(3.4, 4.4), channels);
  else banks(kit, channels);
  // Channels (the moat's four arms too) are the low ground.
  kit.groundAt = (x, z) => (channels.some((c) => inside(c, x, z)) ? deep : 0);
  perimeterWall(kit, hx, hz, { height: rng.range(3, 4.5), bottom: deep - 0.5, surface: variant === 'canyon' ? 'bank' : 'wall', pilasterEvery: 0 });
  backdrop(kit, variant === 'canyon' ? rng.pick(['mesas', 'mountains'] as const) : rng.pick(['city', 'forest', 'mountains'] as const));

  // Bridges: two or three over a river or gorge, one per canal arm, four to the island.
  let n = 0;
  for (const c of channels) {
    const count = variant === 'canals' ? 1 : variant === 'moat' ? 1 : rng.int(2, 3);
    const length = c.to - c.from;
    for (let i = 0; i < count; i++) {
      // Spread along the channel, off the walls; the long canal's bridge beside the crossing, not on it.
      const room = 5.4;
      const spread = c.from + ((i + 0.5) / count) * length + rng.range(-0.15, 0.15) * (length / count);
      const u = variant === 'canals' && c === channels[0] ? rng.pick([-1, 1]) * rng.range(c.width / 2 + room, c.to - room) : spread;
      bridge(kit, c, length > 2 * room ? Math.min(c.to - room, Math.max(c.from + room, u)) : (c.from + c.to) / 2, rng.pick(BRIDGE_STYLES), `bridge-${n++}`);
    }
  }
  for (const c of channels) {
    if (c.gorge) gorgeRailings(kit, c);
    else {
      kerbs(kit, c);
      waterDressing(kit, c, variant === 'canals');
    }
  }
  dressBanks(kit, channels);
}

function channel(alongX: boolean, v: number, width: number, from: number, to: number, floor: number, gorge: boolean): Channel {
  return { alongX, v, width, from, to, floor, gorge, gaps: new Map([[-1, []], [1, []]]), open: [] };
}

function inside(c: Channel, x: number, z: number): boolean {
  const [u, v] = c.alongX ? [x, z] : [z, x];
  return u >= c.from && u <= c.to && Math.abs(v - c.v) < c.width / 2;
}

/** World x, z of a channel point; world size of a (u, v) extent. */
function at(c: Channel, u: number, v: number): [number, number] {
  return c.alongX ? [u, v] : [v, u];
}
function extent(c: Channel, du: number, dv: number): [number, number] {
  return c.alongX ? [du, dv] : [dv, du];
}

/** Ground on both sides of every channel, the channels' walls and water (or the gorge's V). */
function banks(kit: WorldKit, channels: Channel[]): void {
  const { halfX: hx, halfZ: hz } = kit.recipe;
  // Ground: the whole floor, then channels cut by drawing them over it as lower boxes; the
  // floor itself is split into blocks that leave the channels open.
  const xCuts = channels.filter((c) => !c.alongX).map((c) => [c.v - c.width / 2, c.v + c.width / 2] as [number, number]);
  const zCuts = channels.filter((c) => c.alongX).map((c) => [c.v - c.width / 2, c.v + c.width / 2] as [number, number]);
  const spans = (half: number, cuts: [number, number][]): [number, number][] => {
    const out: [number, number][] = [];
    let start = -half - 0.6;
    // Cuts may repeat (the two halves of a canal arm): overlapping ones merge.
    for (const [a, b] of cuts.sort((p, q) => p[0] - q[0])) {
      if (a > start) out.push([start, a]);
      start = Math.max(start, b);
    }
    out.push([start, half + 0.6]);
    return out;
  };
  const depth = channels[0]?.floor ?? WATER;
  for (const [x0, x1] of spans(hx, xCuts)) {
    for (const [z0, z1] of spans(hz, zCuts)) {
      kit.box('bank', [x1 - x0, -depth + 0.3, z1 - z0], [(x0 + x1) / 2, (depth - 0.3) / 2 - 0.05, (z0 + z1) / 2]);
      kit.box('ground', [x1 - x0, 0.05, z1 - z0], [(x0 + x1) / 2, -0.025, (z0 + z1) / 2]);
    }
  }
  for (const c of channels) {
    const mid = (c.from + c.to) / 2;
    const len = c.to - c.from;
    if (c.gorge) {
      // Two steep faces meeting in a thin stream: nowhere in the gorge to stand.
      const half = c.width / 2;
      const slant = Math.hypot(half, -c.floor);
      const tilt = Math.atan2(-c.floor, half);
      for (const side of [-1, 1]) {
        const [x, z] = at(c, mid, c.v + side * half * 0.5);
        const rotation: [number, number, number] = c.alongX ? [-side * tilt, 0, 0] : [0, 0, side * tilt];
        const [sx, sz] = extent(c, len + 1.2, slant);
        kit.box('bank', [sx, 0.4, sz], [x, c.floor / 2 - 0.2, z], { rotation });
      }
      const [x, z] = at(c, mid, c.v);
      const [sx, sz] = extent(c, len + 1.2, 0.7);
      kit.box('water', [sx, 0.1, sz], [x, c.floor + 0.3, z]);
    } else {
      const [x, z] = at(c, mid, c.v);
      const [sx, sz] = extent(c, len + 1.2, c.width);
      kit.box('water', [sx, 0.3, sz], [x, c.floor - 0.15, z]);
      slopes(kit, c);
    }
  }
}

/** Run of the banks' slopes into the water, m (about 30°: walkable, and no ledge to spawn on). */
const SLOPE_RUN = 1.4;

/**
 * Sloped stone banks down into a channel's shallow water, all along both sides (not where
 * another channel crosses): a player who walks or falls in walks out anywhere.
 */
function slopes(kit: WorldKit, c: Channel): void {
  const pieces: [number, number][] = [];
  let start = c.from;
  for (const [a, b] of [...c.open].sort((p, q) => p[0] - q[0])) {
    if (a > start) pieces.push([start, a]);
    start = Math.max(start, b);
  }
  if (c.to > start) pieces.push([start, c.to]);
  const depth = -c.floor;
  for (const side of [-1, 1]) {
    // Rising towards the bank: towards −v on the low side, +v on the high side.
    const yaw = c.alongX ? (side < 0 ? 0 : Math.PI) : side < 0 ? Math.PI / 2 : -Math.PI / 2;
    const v = c.v + side * (c.width / 2 - SLOPE_RUN / 2);
    for (const [a, b] of pieces) {
      const [x, z] = at(c, (a + b) / 2, v);
      kit.wedge('bank', [b - a, depth, SLOPE_RUN], [x, c.floor, z], { yaw, flat: true });
    }
  }
}

/** An island inside a square moat, the outer ground round it. */
function moat(kit: WorldKit, island: number, width: number, channels: Channel[]): void {
  const { halfX: hx, halfZ: hz } = kit.recipe;
  const outer = island + width;
  kit.box('bank', [2 * island, -WATER + 0.3, 2 * island], [0, (WATER - 0.3) / 2 - 0.05, 0]);
  kit.box('ground', [2 * island, 0.05, 2 * island], [0, -0.025, 0]);
  // Outer ground: four blocks round the moat.
  const blocks: [number, number, number, number][] = [
    [-hx - 0.6, -hz - 0.6, hx + 0.6, -outer],
    [-hx - 0.6, outer, hx + 0.6, hz + 0.6],
    [-hx - 0.6, -outer, -outer, outer],
    [outer, -outer, hx + 0.6, outer],
  ];
  for (const [x0, z0, x1, z1] of blocks) {
    kit.box('bank', [x1 - x0, -WATER + 0.3, z1 - z0], [(x0 + x1) / 2, (WATER - 0.3) / 2 - 0.05, (z0 + z1) / 2]);
    kit.box('ground', [x1 - x0, 0.05, z1 - z0], [(x0 + x1) / 2, -0.025, (z0 + z1) / 2]);
  }
  kit.box('water', [2 * outer, 0.3, 2 * outer], [0, WATER - 0.15, 0]);
  // Four arms of the moat as channels (for bridges, stairs and parapets).
  const v = island + width / 2;
  channels.push(
    channel(true, -v, width, -island, island, WATER, false),
    channel(true, v, width, -island, island, WATER, false),
    channel(false, -v, width, -island, island, WATER, false),
    channel(false, v, width, -island, island, WATER, false),
  );
  for (const arm of channels.slice(-4)) slopes(kit, arm);
  // The corners of the moat are open water: reeds there.
  for (const [sx, sz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) reeds(kit, sx * v, sz * v, WATER);
  landmark(kit, kit.recipe.landmark, 0, 0, 0);
  kit.claim(0, 0, island + width + 0.5);
}

/** A bridge across channel `c` at `u`, its own proxy. */
function bridge(kit: WorldKit, c: Channel, u: number, style: (typeof BRIDGE_STYLES)[number], name: string): void {
  const { rng } = kit;
  const span = c.width;
  const width = rng.range(2.4, 3.2);
  const yaw = c.alongX ? -Math.PI / 2 : 0; // deck's local x runs across the channel (along v)
  const [x, z] = at(c, u, c.v);
  const railHeight = c.gorge ? 1.2 : 0.95;
  let length = span + 2.4;
  kit.group(name, () => {
    if (style === 'arch') {
      const h = rng.range(0.8, 1.3);
      length = Math.max(span + 3, h * 9.8);
      const profile = Array.from({ length: 13 }, (_, i) => [-length / 2 + (i / 12) * length, h * Math.sin((Math.PI * i) / 12)] as const);
      kit.add('bank', deckGeometry(profile, width, 0.7), [x, 0, z], { yaw });
      kit.add('path', deckGeometry(profile.map(([px, py]) => [px, py + 0.02] as const), width - 0.5, 0.02), [x, 0, z], { yaw });
      for (const side of [-1, 1]) {
        const [ox, oz] = at(c, side * (width / 2 - 0.14), 0);
        kit.add('trim', deckGeometry(profile.map(([px, py]) => [px, py + railHeight] as const), 0.28, railHeight), [x + ox, 0, z + oz], { yaw });
      }
    } else if (style === 'beam') {
      const [sx, sz] = extent(c, width, length);
      kit.box('wood', [sx, 0.35, sz], [x, -0.12, z]);
      for (const side of [-1, 1]) {
        const [ax, az] = at(c, u + side * (width / 2 - 0.1), c.v - length / 2);
        const [bx, bz] = at(c, u + side * (width / 2 - 0.1), c.v + length / 2);
        railing(kit, ax, az, bx, bz, 0.05, railHeight, 'accent');
      }
      if (!c.gorge && span > 4.5) {
        for (const d of [-1, 1]) {
          const [px, pz] = at(c, u, c.v + d * span * 0.22);
          kit.cylinder('bank', 0.35, 0.45, -c.floor + 1, [px, (c.floor - 1) / 2 - 0.2, pz], { segments: 10 });
        }
      }
    } else {
      const sag = c.gorge ? 0.35 : 0.15;
      const profile = Array.from({ length: 9 }, (_, i) => [-length / 2 + (i / 8) * length, 0.05 - sag * Math.sin((Math.PI * i) / 8)] as const);
      kit.add('wood', deckGeometry(profile, width, 0.15), [x, 0, z], { yaw });
      for (const side of [-1, 1]) {
        const [ox, oz] = at(c, side * (width / 2 - 0.05), 0);
        for (const h of [railHeight, railHeight * 0.5]) kit.add('metal', deckGeometry(profile.map(([px, py]) => [px, py + h] as const), 0.06, 0.06), [x + ox, 0, z + oz], { yaw });
        for (const end of [-1, 1]) {
          const [px, pz] = at(c, u + side * (width / 2 - 0.05), c.v + end * (length / 2 - 0.1));
          kit.box('wood', [0.16, railHeight + 0.3, 0.16], [px, (railHeight + 0.3) / 2, pz]);
        }
      }
    }
  });
  // Keep the landings open: parapet gaps on both banks and no props there.
  for (const side of [-1, 1]) c.gaps.get(side)!.push([u - width / 2 - 0.1, u + width / 2 + 0.1]);
  for (const d of [-1, 1]) {
    const [lx, lz] = at(c, u, c.v + d * (length / 2 + 0.8));
    kit.claim(lx, lz, width / 2 + 0.8);
  }
}

/**
 * Reeds along a river or moat, mooring piles and a boat in a canal: things in the water make it
 * read as water, and keep the recorder from starting players down in the channel.
 */
function waterDressing(kit: WorldKit, c: Channel, urban: boolean): void {
  const { rng } = kit;
  const busy = [...c.gaps.get(-1)!, ...c.gaps.get(1)!];
  const clear = (u: number): boolean => busy.every(([a, b]) => u < a - 1.2 || u > b + 1.2);
  let side = rng.pick([-1, 1]);
  for (let u = c.from + 1; u < c.to - 1; u += rng.range(1.6, 2.6)) {
    if (!clear(u)) continue;
    side = rng.chance(0.7) ? -side : side;
    const v = c.v + rng.range(-0.6, 0.6) * (c.width / 2 - 0.7);
    if (urban) {
      const [x, z] = at(c, u, c.v + side * (c.width / 2 - 0.5));
      kit.cylinder('wood', 0.12, 0.14, 2.0, [x, c.floor + 0.5, z], { segments: 6, tint: 0xb08060 });
      continue;
    }
    const [x, z] = at(c, u, v);
    reeds(kit, x, z, c.floor);
  }
  if (urban && c.to - c.from > 8) {
    const u = rng.range(c.from + 3, c.to - 3);
    if (!clear(u)) return;
    const [x, z] = at(c, u, c.v);
    const [sx, sz] = extent(c, 3.2, 1.1);
    kit.group(`boat-${Math.round(u)}`, () => {
      kit.box('wood', [sx, 0.5, sz], [x, c.floor + 0.2, z], { tint: 0xd0a070 });
      const [cx, cz] = extent(c, 1.2, 0.8);
      kit.box('accent', [cx, 0.6, cz], [x, c.floor + 0.75, z]);
    });
  }
}

/** A clump of reeds standing in the water at (x, z). */
function reeds(kit: WorldKit, x: number, z: number, floor: number): void {
  const { rng, palette } = kit;
  for (let k = 0; k < 5; k++) {
    kit.cone('paint', 0.07, rng.range(0.9, 1.5), [x + rng.range(-0.45, 0.45), floor - 0.05, z + rng.range(-0.45, 0.45)], { segments: 4, tint: mixHex(palette.foliage, rng.pick([0x8a9a40, 0x6a8a3a, 0xa08a50]), 0.5) });
  }
}

/** A low kerb along both banks (a step, not a wall), broken by bridge landings. */
function kerbs(kit: WorldKit, c: Channel): void {
  for (const side of [-1, 1]) {
    const v = c.v + side * (c.width / 2 + 0.15);
    for (const [a, b] of openSpans(c, side)) {
      if (b - a < 0.3) continue;
      const [x, z] = at(c, (a + b) / 2, v);
      const [sx, sz] = extent(c, b - a, 0.3);
      kit.box('trim', [sx, 0.24, sz], [x, 0.0, z]);
    }
  }
}

/** Railings along both rims of a gorge, broken only by bridge landings: no one falls in. */
function gorgeRailings(kit: WorldKit, c: Channel): void {
  for (const side of [-1, 1]) {
    const v = c.v + side * (c.width / 2 + 0.2);
    for (const [a, b] of openSpans(c, side)) {
      if (b - a < 0.3) continue;
      const [ax, az] = at(c, a, v);
      const [bx, bz] = at(c, b, v);
      railing(kit, ax, az, bx, bz, 0, 1.2, 'wood');
    }
  }
}

/** The spans along a bank between bridge landings and crossings. */
function openSpans(c: Channel, side: number): [number, number][] {
  const pieces: [number, number][] = [];
  let start = c.from;
  for (const [a, b] of [...c.gaps.get(side)!, ...c.open].sort((p, q) => p[0] - q[0])) {
    if (a > start) pieces.push([start, a]);
    start = Math.max(start, b);
  }
  if (c.to > start) pieces.push([start, c.to]);
  return pieces;
}

/** Promenades: lamps along the banks, trees, benches, a landmark and a second place. */
function dressBanks(kit: WorldKit, channels: Channel[]): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz, variant } = recipe;
  const free = (x: number, z: number, r: number): boolean => kit.isFree(x, z, r) && !channels.some((c) => inside(c, x, z) || inside(c, x + r, z) || inside(c, x - r, z) || inside(c, x, z + r) || inside(c, x, z - r));
  const spots = (count: number, r: number): [number, number][] => {
    const out: [number, number][] = [];
    for (let t = 0; t < count * 20 && out.length < count; t++) {
      const x = rng.range(-hx + 1, hx - 1);
      const z = rng.range(-hz + 1, hz - 1);
      if (!free(x, z, r)) continue;
      kit.claim(x, z, r);
      out.push([x, z]);
    }
    return out;
  };
  if (variant !== 'moat') {
    const [main] = spots(1, 3.2);
    if (main) landmark(kit, recipe.landmark, main[0], 0, main[1]);
  }
  const other = rng.pick(LANDMARKS.filter((k) => k !== recipe.landmark && k !== 'fountain'));
  const [second] = spots(1, 2.8);
  if (second) landmark(kit, other, second[0], 0, second[1], `landmark-${other}-2`);
  // Lamps along each bank.
  for (const c of channels) {
    for (const side of [-1, 1]) {
      for (let u = c.from + 2; u < c.to - 1; u += rng.range(5, 7)) {
        const [x, z] = at(c, u, c.v + side * (c.width / 2 + 0.9));
        if (!free(x, z, 0.4)) continue;
        lamp(kit, x, 0, z, 3.2, variant === 'canyon' ? 1 : 0);
        kit.claim(x, z, 0.4);
      }
    }
  }
  const kinds = variant === 'canyon' ? (['pine', 'dead', 'diamond'] as const) : (['round', 'poplar', 'palm', 'diamond'] as const);
  for (const [x, z] of spots(rng.int(6, 12), 1.3)) tree(kit, rng.pick(kinds), x, 0, z, rng.range(0.8, 1.2));
  for (const [x, z] of spots(rng.int(2, 4), 1.0)) {
    if (variant === 'canyon') rock(kit, x, 0, z, rng.range(0.5, 1.0));
    else bench(kit, x, 0, z, rng.range(0, 6));
  }
  for (const [x, z] of spots(rng.int(3, 6), 0.6)) shrub(kit, x, 0, z, rng.range(0.4, 0.7));
  if (variant !== 'canyon' && rng.chance(0.6)) {
    const [s] = spots(1, 1.4);
    if (s) kit.group('statue', () => statue(kit, s[0], 0, s[1], 1.2, rng.range(0, 6)));
  }
}
