import { backdrop, outerGround } from './backdrop.ts';
import { landmark, LANDMARK_RADIUS } from './landmark.ts';
import { hslHex, mixHex, shadeHex } from './palettes.ts';
import { perimeterWall } from './perimeterWall.ts';
import { barrel, crate, lamp, PILLAR_STYLES, pillar, planter, sculpture, shelf, table, tree } from './props.ts';
import type { WorldKit } from './WorldKit.ts';

interface Room {
  id: number;
  minX: number;
  maxX: number;
  minZ: number;
  maxZ: number;
  tint: number;
  floor: string;
}

/** A wall piece between two grid cells: along x (horizontal, at z) or along z (at x). */
interface Segment {
  horizontal: boolean;
  /** The fixed coordinate (z for horizontal, x otherwise) and the span along the other axis. */
  at: number;
  from: number;
  to: number;
  rooms: [number, number];
  door?: { centre: number; width: number };
}

const DOOR_HEIGHT = 2.4;
const WALL = 0.3;

/**
 * Rooms and corridors: a walled block divided on a jittered grid into rooms (open to the sky),
 * joined by doorways on a random spanning tree so every room is reachable. Variants: `grid`
 * (rooms of a size, extra doors), `maze` (small cells, one way between any two), `hall` (a large
 * hall with columns amid side rooms) and `gallery` (pedestals and paintings). Every room has its
 * own wall colour, floor and contents, so rooms are told apart at a glance.
 */
export function buildRooms(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz, variant } = recipe;
  const height = rng.range(3.2, 4.4);
  kit.define('wall', { pattern: recipe.wall, color: mixHex(palette.light, 0xffffff, 0.5), accent: mixHex(palette.main, 0xffffff, 0.3), scale: 2.5 });
  kit.define('floor2', { pattern: rng.pick(['planks', 'tiles', 'checker', 'basket', 'hex'] as const), color: mixHex(palette.groundAlt, 0xffffff, 0.4), accent: palette.accent2, scale: 2 });
  kit.define('floor3', { pattern: rng.pick(['carpet', 'planks', 'flagstones'] as const), color: mixHex(palette.ground, 0xffffff, 0.3), accent: palette.accent, scale: 2.5 });
  kit.box('path', [2 * hx + 1.2, 0.4, 2 * hz + 1.2], [0, -0.2, 0]);
  outerGround(kit, 'path', -0.05, 0xb0b0b0);
  perimeterWall(kit, hx, hz, { height: height + rng.range(0, 0.8), thickness: 0.6 });
  backdrop(kit, rng.pick(['mountains', 'city', 'forest', 'none'] as const));

  // A jittered grid of cells; the hall variant merges a middle block of them into one room.
  const target = variant === 'maze' ? rng.range(4.6, 5.6) : rng.range(6.5, 9);
  const nx = Math.max(2, Math.round((2 * hx) / target));
  const nz = Math.max(2, Math.round((2 * hz) / target));
  const lines = (half: number, n: number): number[] => Array.from({ length: n + 1 }, (_, i) => -half + (i * 2 * half) / n + (i > 0 && i < n ? rng.range(-0.6, 0.6) : 0));
  const xs = lines(hx, nx);
  const zs = lines(hz, nz);
  const roomOf: number[][] = Array.from({ length: nx }, (_, i) => Array.from({ length: nz }, (_, j) => i * nz + j));
  if (variant === 'hall' || (variant === 'grid' && rng.chance(0.4))) {
    const w = Math.min(nx, variant === 'hall' ? 2 + Number(nx > 3) : 2);
    const d = Math.min(nz, 2);
    const i0 = rng.int(0, nx - w);
    const j0 = rng.int(0, nz - d);
    for (let i = i0; i < i0 + w; i++) for (let j = j0; j < j0 + d; j++) roomOf[i]![j] = roomOf[i0]![j0]!;
  }
  // Corridors: in the maze, some rows of cells are merged along their length.
  if (variant === 'maze') {
    for (let n = 0; n < 2; n++) {
      const j = rng.int(0, nz - 1);
      const i0 = rng.int(0, nx - 3);
      for (let i = i0; i < i0 + 3 && i < nx; i++) roomOf[i]![j] = roomOf[i0]![j]!;
    }
  }
  const tints = [palette.main, palette.light, mixHex(palette.accent, 0xffffff, 0.45), mixHex(palette.accent2, 0xffffff, 0.4), mixHex(palette.main, palette.accent, 0.35), hslHex(rng.range(0, 360), 0.35, 0.72)];
  const rooms = new Map<number, Room>();
  for (let i = 0; i < nx; i++) for (let j = 0; j < nz; j++) {
    const id = roomOf[i]![j]!;
    const room = rooms.get(id) ?? { id, minX: Infinity, maxX: -Infinity, minZ: Infinity, maxZ: -Infinity, tint: rng.pick(tints), floor: rng.pick(['ground', 'floor2', 'floor3']) };
    room.minX = Math.min(room.minX, xs[i]!);
    room.maxX = Math.max(room.maxX, xs[i + 1]!);
    room.minZ = Math.min(room.minZ, zs[j]!);
    room.maxZ = Math.max(room.maxZ, zs[j + 1]!);
    rooms.set(id, room);
  }

  // Wall segments between cells of different rooms.
  const segments: Segment[] = [];
  for (let i = 1; i < nx; i++) for (let j = 0; j < nz; j++) {
    const a = roomOf[i - 1]![j]!;
    const b = roomOf[i]![j]!;
    if (a !== b) segments.push({ horizontal: false, at: xs[i]!, from: zs[j]!, to: zs[j + 1]!, rooms: [a, b] });
  }
  for (let j = 1; j < nz; j++) for (let i = 0; i < nx; i++) {
    const a = roomOf[i]![j - 1]!;
    const b = roomOf[i]![j]!;
    if (a !== b) segments.push({ horizontal: true, at: zs[j]!, from: xs[i]!, to: xs[i + 1]!, rooms: [a, b] });
  }
  // Doors on a random spanning tree of the rooms (every room reachable), plus a few more.
  const parent = new Map<number, number>([...rooms.keys()].map((k) => [k, k]));
  const find = (k: number): number => (parent.get(k) === k ? k : find(parent.get(k)!));
  const extra = variant === 'maze' ? 0 : rng.range(0.15, 0.4);
  const doored = new Set<string>();
  for (const s of rng.shuffle(segments)) {
    const [a, b] = s.rooms;
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    const joined = find(a) === find(b);
    if (joined && (doored.has(key) || !rng.chance(extra))) continue;
    parent.set(find(a), find(b));
    doored.add(key);
    const width = rng.range(1.5, 2.2);
    const span = s.to - s.from;
    s.door = { centre: s.from + span / 2 + rng.range(-1, 1) * Math.max(0, span / 2 - width / 2 - 0.6), width };
  }

  for (const s of segments) wallSegment(kit, s, height, rooms);
  // A post where walls meet, standing above them: crossing wall tops would otherwise make a
  // little square a player could be spawned on.
  const nodes = new Map<string, [number, number]>();
  for (const s of segments) {
    for (const end of [s.from, s.to]) {
      const [x, z] = s.horizontal ? [end, s.at] : [s.at, end];
      if (Math.abs(x) < hx - 0.01 && Math.abs(z) < hz - 0.01) nodes.set(`${x.toFixed(2)},${z.toFixed(2)}`, [x, z]);
    }
  }
  for (const [x, z] of nodes.values()) {
    kit.box('trim', [0.5, height + 0.5, 0.5], [x, (height + 0.5) / 2, z]);
    kit.cone('trim', 0.36, 0.5, [x, height + 0.5, z], { segments: 4, yaw: Math.PI / 4 });
  }
  for (const room of rooms.values()) {
    const w = room.maxX - room.minX;
    const d = room.maxZ - room.minZ;
    kit.box(room.floor, [w, 0.04, d], [(room.minX + room.maxX) / 2, 0.02, (room.minZ + room.maxZ) / 2], { tint: shadeHex(0xffffff, rng.range(0.85, 1)) });
    // Outer walls of this room take its colour too (a thin lining on the perimeter wall).
    if (room.minX <= -hx + 0.01) kit.box('wall', [0.04, height, d], [-hx + 0.02, height / 2, (room.minZ + room.maxZ) / 2], { tint: room.tint });
    if (room.maxX >= hx - 0.01) kit.box('wall', [0.04, height, d], [hx - 0.02, height / 2, (room.minZ + room.maxZ) / 2], { tint: room.tint });
    if (room.minZ <= -hz + 0.01) kit.box('wall', [w, height, 0.04], [(room.minX + room.maxX) / 2, height / 2, -hz + 0.02], { tint: room.tint });
    if (room.maxZ >= hz - 0.01) kit.box('wall', [w, height, 0.04], [(room.minX + room.maxX) / 2, height / 2, hz - 0.02], { tint: room.tint });
  }
  // Keep doorways clear of furniture.
  for (const s of segments) {
    if (!s.door) continue;
    const c = s.door.centre;
    for (const side of [-1, 1]) kit.claim(s.horizontal ? c : s.at + side * 0.9, s.horizontal ? s.at + side * 0.9 : c, 1.2);
  }
  furnish(kit, [...rooms.values()], height);
}

/** A wall between two rooms, each face in its room's colour, with a doorway when it has one. */
function wallSegment(kit: WorldKit, s: Segment, height: number, rooms: Map<number, Room>): void {
  // Pieces reach half a wall past the segment's ends, so corners close.
  const from = s.from - WALL / 2;
  const to = s.to + WALL / 2;
  const pieces: [number, number][] = s.door ? [[from, s.door.centre - s.door.width / 2], [s.door.centre + s.door.width / 2, to]] : [[from, to]];
  const [a, b] = s.rooms.map((id) => rooms.get(id)!);
  const faces: [number, number][] = [[-WALL / 4, a!.tint], [WALL / 4, b!.tint]];
  for (const [p0, p1] of pieces) {
    const len = p1 - p0;
    if (len <= 0.05) continue;
    const mid = (p0 + p1) / 2;
    for (const [offset, tint] of faces) {
      kit.box('wall', s.horizontal ? [len, height, WALL / 2] : [WALL / 2, height, len], s.horizontal ? [mid, height / 2, s.at + offset] : [s.at + offset, height / 2, mid], { tint });
    }
    // A pale cornice on top and a dark skirting: the walls' outline reads at 64 × 64.
    kit.box('trim', s.horizontal ? [len, 0.2, WALL + 0.1] : [WALL + 0.1, 0.2, len], s.horizontal ? [mid, height - 0.1, s.at] : [s.at, height - 0.1, mid]);
    kit.box('metal', s.horizontal ? [len, 0.14, WALL + 0.04] : [WALL + 0.04, 0.14, len], s.horizontal ? [mid, 0.07, s.at] : [s.at, 0.07, mid]);
  }
  if (!s.door) return;
  const { centre, width } = s.door;
  const above = height - DOOR_HEIGHT;
  kit.box('wall', s.horizontal ? [width, above, WALL] : [WALL, above, width], s.horizontal ? [centre, DOOR_HEIGHT + above / 2, s.at] : [s.at, DOOR_HEIGHT + above / 2, centre], { tint: a!.tint });
  // A bold frame: doorways are what players walk between.
  const frame = 'accent';
  for (const side of [-1, 1]) {
    const u = centre + side * (width / 2 + 0.08);
    kit.box(frame, s.horizontal ? [0.16, DOOR_HEIGHT, WALL + 0.1] : [WALL + 0.1, DOOR_HEIGHT, 0.16], s.horizontal ? [u, DOOR_HEIGHT / 2, s.at] : [s.at, DOOR_HEIGHT / 2, u]);
  }
  kit.box(frame, s.horizontal ? [width + 0.32, 0.18, WALL + 0.1] : [WALL + 0.1, 0.18, width + 0.32], s.horizontal ? [centre, DOOR_HEIGHT + 0.09, s.at] : [s.at, DOOR_HEIGHT + 0.09, centre]);
}

const ROLES = ['storage', 'dining', 'library', 'atrium', 'pool', 'columns', 'gallery', 'beams'] as const;

/** Give each room contents by a role; the landmark stands in the largest room. */
function furnish(kit: WorldKit, rooms: Room[], height: number): void {
  const { rng, recipe } = kit;
  const largest = rooms.reduce((a, b) => ((b.maxX - b.minX) * (b.maxZ - b.minZ) > (a.maxX - a.minX) * (a.maxZ - a.minZ) ? b : a));
  const big = LANDMARK_RADIUS[recipe.landmark];
  const lx = (largest.minX + largest.maxX) / 2;
  const lz = (largest.minZ + largest.maxZ) / 2;
  if (Math.min(largest.maxX - largest.minX, largest.maxZ - largest.minZ) > 2 * big + 2) landmark(kit, recipe.landmark, lx, 0.04, lz);
  const roles = recipe.variant === 'gallery' ? ['gallery', 'gallery', 'columns', 'atrium'] : ROLES;
  for (const room of rooms) {
    const role = room === largest && recipe.variant === 'hall' ? 'columns' : rng.pick(roles);
    const area: [number, number, number, number] = [room.minX + 0.9, room.minZ + 0.9, room.maxX - 0.9, room.maxZ - 0.9];
    const cx = (room.minX + room.maxX) / 2;
    const cz = (room.minZ + room.maxZ) / 2;
    const y = 0.04;
    switch (role) {
      case 'storage':
        for (const [x, z] of kit.scatter(rng.int(3, 6), 0.6, area)) {
          if (rng.chance(0.3)) barrel(kit, x, y, z);
          else {
            const s = rng.range(0.6, 1.0);
            crate(kit, x, y, z, s, rng.range(0, 1.5));
            if (rng.chance(0.4)) crate(kit, x, y + s, z, s * 0.75, rng.range(0, 1.5));
          }
        }
        break;
      case 'dining':
        for (const [x, z] of kit.scatter(rng.int(1, 2), 1.3, area)) {
          table(kit, x, y, z, rng.pick([0, Math.PI / 2]), rng.pick([0xffffff, 0xd0b090]));
        }
        for (const [x, z] of kit.scatter(2, 0.5, area)) lamp(kit, x, y, z, 2.2, 1);
        break;
      case 'library': {
        const alongX = room.maxX - room.minX > room.maxZ - room.minZ;
        const n = Math.floor(((alongX ? room.maxX - room.minX : room.maxZ - room.minZ) - 2) / 2.2);
        for (let k = 0; k < n; k++) {
          const u = (alongX ? room.minX : room.minZ) + 1.6 + k * 2.2;
          const x = alongX ? u : room.minX + 0.45;
          const z = alongX ? room.minZ + 0.45 : u;
          if (!kit.isFree(x, z, 0.9, 0)) continue;
          shelf(kit, x, y, z, alongX ? 0 : Math.PI / 2, 2);
          kit.claim(x, z, 0.9);
        }
        if (kit.isFree(cx, cz, 1.3)) {
          table(kit, cx, y, cz, alongX ? 0 : Math.PI / 2);
          kit.claim(cx, cz, 1.2);
        }
        break;
      }
      case 'atrium':
        kit.define('lawn', { pattern: 'grass', color: mixHex(kit.palette.foliage, 0x6fae4a, 0.5), scale: 2 });
        if (kit.isFree(cx, cz, 1.8)) {
          kit.box('lawn', [2.6, 0.3, 2.6], [cx, 0.15, cz]);
          tree(kit, rng.pick(['round', 'diamond', 'palm'] as const), cx, 0.3, cz, rng.range(0.8, 1.0));
          kit.claim(cx, cz, 1.9);
        }
        for (const [x, z] of kit.scatter(2, 1.2, area)) planter(kit, x, y, z, 1.8, rng.pick([0, Math.PI / 2]), false);
        break;
      case 'pool':
        if (kit.isFree(cx, cz, 2)) {
          const w = Math.min(4, room.maxX - room.minX - 3);
          const d = Math.min(3, room.maxZ - room.minZ - 3);
          if (w > 1.5 && d > 1.5) {
            for (const side of [-1, 1]) {
              kit.box('trim', [w + 0.6, 0.25, 0.3], [cx, 0.125, cz + side * (d / 2 + 0.15)]);
              kit.box('trim', [0.3, 0.25, d], [cx + side * (w / 2 + 0.15), 0.125, cz]);
            }
            kit.box('water', [w, 0.1, d], [cx, 0.05, cz]);
            kit.claimRect(cx, cz, w + 0.6, d + 0.6);
          }
        }
        break;
      case 'columns': {
        const style = rng.pick(PILLAR_STYLES);
        const inset = 1.6;
        for (const [dx, dz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) {
          const x = dx < 0 ? room.minX + inset : room.maxX - inset;
          const z = dz < 0 ? room.minZ + inset : room.maxZ - inset;
          if (!kit.isFree(x, z, 0.6, 0)) continue;
          pillar(kit, x, y, z, height - 0.2, 0.28, style, 'trim', room.tint);
          kit.claim(x, z, 0.6);
        }
        break;
      }
      case 'gallery':
        for (const [x, z] of kit.scatter(rng.int(1, 3), 0.9, area)) kit.group(`sculpture-${room.id}-${Math.round(x + z)}`, () => sculpture(kit, x, y, z));
        paintings(kit, room);
        break;
      case 'beams':
        for (let u = room.minX + 1.2; u < room.maxX - 0.6; u += 1.6) kit.box('wood', [0.22, 0.3, room.maxZ - room.minZ], [u, height - 0.15, (room.minZ + room.maxZ) / 2]);
        for (const [x, z] of kit.scatter(2, 0.5, area)) crate(kit, x, y, z, 0.8, rng.range(0, 1));
        break;
    }
  }
}

/** Bold framed canvases on a room's walls, at eye height. */
function paintings(kit: WorldKit, room: Room): void {
  const { rng } = kit;
  const { halfX, halfZ } = kit.recipe;
  // In front of the wall's face: a perimeter wall's face is the room's edge, an inner wall's half a wall in.
  const inset = (edge: number, half: number): number => (Math.abs(Math.abs(edge) - half) < 0.01 ? 0.1 : WALL / 2 + 0.05);
  const sides = [
    { x: (room.minX + room.maxX) / 2, z: room.minZ + inset(room.minZ, halfZ), yaw: 0, span: room.maxX - room.minX },
    { x: (room.minX + room.maxX) / 2, z: room.maxZ - inset(room.maxZ, halfZ), yaw: Math.PI, span: room.maxX - room.minX },
    { x: room.minX + inset(room.minX, halfX), z: (room.minZ + room.maxZ) / 2, yaw: Math.PI / 2, span: room.maxZ - room.minZ },
    { x: room.maxX - inset(room.maxX, halfX), z: (room.minZ + room.maxZ) / 2, yaw: -Math.PI / 2, span: room.maxZ - room.minZ },
  ];
  for (const side of rng.shuffle(sides).slice(0, 2)) {
    const n = Math.max(1, Math.floor(side.span / 3.2));
    for (let k = 0; k < n; k++) {
      const u = ((k + 0.5) / n - 0.5) * side.span;
      const x = side.x + Math.cos(side.yaw) * u;
      const z = side.z - Math.sin(side.yaw) * u;
      if (!kit.isFree(x, z, 0.6, 0)) continue;
      const w = rng.range(1.0, 1.8);
      const h = rng.range(0.8, 1.4);
      kit.box('wood', [w + 0.2, h + 0.2, 0.06], [x, 1.8, z], { yaw: side.yaw, tint: 0x604020 });
      kit.box('paint', [w, h, 0.08], [x, 1.8, z], { yaw: side.yaw, tint: hslHex(rng.range(0, 360), 0.7, 0.5) });
      kit.box('paint', [w * 0.45, h * 0.5, 0.1], [x + Math.cos(side.yaw) * rng.range(-0.2, 0.2), 1.8 + rng.range(-0.15, 0.15), z - Math.sin(side.yaw) * rng.range(-0.2, 0.2)], { yaw: side.yaw, tint: hslHex(rng.range(0, 360), 0.8, 0.6) });
    }
  }
}
