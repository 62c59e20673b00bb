// Props: things that stand on the ground, built from the kit's primitives. Every one is bold and
// simple enough to read at 64 × 64, and none has a flat top a player could be spawned on (wider
// than 1.2 m and high up): canopies are cones or diamonds, roofs are steep, plinths carry a figure.
import { LatheGeometry, OctahedronGeometry, DodecahedronGeometry, TorusKnotGeometry, Vector2 } from 'three';
import { mixHex, shadeHex } from './palettes.ts';
import type { WorldKit } from './WorldKit.ts';

export const TREE_KINDS = ['pine', 'diamond', 'round', 'poplar', 'palm', 'cactus', 'dead'] as const;
export type TreeKind = (typeof TREE_KINDS)[number];

/** A tree whose trunk stands at (x, y, z); `size` scales it (1 ≈ 5 m tall). */
export function tree(kit: WorldKit, kind: TreeKind, x: number, y: number, z: number, size = 1, tint = 0xffffff): void {
  const s = size;
  const yaw = kit.rng.range(0, Math.PI * 2);
  switch (kind) {
    case 'pine':
      kit.cylinder('bark', 0.12 * s, 0.2 * s, 1.4 * s, [x, y + 0.7 * s, z], { segments: 6 });
      for (let i = 0; i < 3; i++) kit.cone('foliage', (1.5 - i * 0.35) * s, (2.0 - i * 0.3) * s, [x, y + (1.0 + i * 1.1) * s, z], { segments: 8, tint, yaw });
      break;
    case 'diamond':
      kit.cylinder('bark', 0.14 * s, 0.22 * s, 2.2 * s, [x, y + 1.1 * s, z], { segments: 6 });
      kit.add('foliage', new OctahedronGeometry(1.6 * s), [x, y + 3.2 * s, z], { scale: [1, 1.25, 1], yaw, tint, flat: true });
      break;
    case 'round':
      kit.cylinder('bark', 0.15 * s, 0.24 * s, 2 * s, [x, y + 1 * s, z], { segments: 6 });
      kit.add('foliage', teardrop(1.7 * s, 3.4 * s), [x, y + 1.6 * s, z], { tint, yaw });
      break;
    case 'poplar':
      kit.cylinder('bark', 0.1 * s, 0.16 * s, 1.2 * s, [x, y + 0.6 * s, z], { segments: 6 });
      kit.add('foliage', teardrop(0.8 * s, 4.6 * s), [x, y + 0.9 * s, z], { tint, yaw });
      break;
    case 'palm': {
      const lean = kit.rng.range(-0.25, 0.25);
      kit.cylinder('bark', 0.14 * s, 0.22 * s, 4.2 * s, [x, y + 2.1 * s, z], { segments: 6, rotation: [0, yaw, lean] });
      const topX = x - Math.sin(lean) * 2.1 * s * Math.cos(yaw);
      const topZ = z + Math.sin(lean) * 2.1 * s * Math.sin(yaw);
      for (let i = 0; i < 6; i++) {
        const a = yaw + (i * Math.PI) / 3;
        kit.box('foliage', [0.5 * s, 0.08, 2.4 * s], [topX + Math.sin(a) * 1.1 * s, y + 4.0 * s, topZ + Math.cos(a) * 1.1 * s], { rotation: [0.8, a, 0], tint }); // steep: a crown of leaves is no floor
      }
      break;
    }
    case 'cactus': {
      const green = mixHex(kit.palette.foliage, 0x3f8f4a, 0.6);
      kit.cylinder('paint', 0.3 * s, 0.34 * s, 3 * s, [x, y + 1.5 * s, z], { segments: 8, tint: green });
      kit.cone('paint', 0.3 * s, 0.4 * s, [x, y + 3 * s, z], { segments: 8, tint: green });
      for (const side of [-1, 1]) {
        const h = kit.rng.range(1.1, 1.8) * s;
        kit.box('paint', [0.8 * s, 0.36 * s, 0.36 * s], [x + side * 0.5 * s, y + h, z], { tint: green });
        kit.cylinder('paint', 0.18 * s, 0.18 * s, 1.0 * s, [x + side * 0.85 * s, y + h + 0.5 * s, z], { segments: 6, tint: green });
      }
      break;
    }
    case 'dead':
      kit.cylinder('bark', 0.1 * s, 0.25 * s, 3 * s, [x, y + 1.5 * s, z], { segments: 6 });
      for (let i = 0; i < 4; i++) {
        const a = yaw + (i * Math.PI) / 2 + kit.rng.range(-0.4, 0.4);
        kit.cylinder('bark', 0.04 * s, 0.08 * s, 1.4 * s, [x + Math.sin(a) * 0.5 * s, y + (2 + i * 0.25) * s, z + Math.cos(a) * 0.5 * s], { segments: 5, rotation: [0.9, a, 0] });
      }
      break;
  }
}

/** A rounded canopy with a pointed top (steep everywhere near the top, so never a floor). */
function teardrop(radius: number, height: number): LatheGeometry {
  const profile = [
    [0, 0],
    [0.6, 0.08],
    [0.95, 0.28],
    [1, 0.45],
    [0.78, 0.66],
    [0.38, 0.84],
    [0, 1],
  ].map(([r, h]) => new Vector2(r! * radius, h! * height));
  return new LatheGeometry(profile, 9);
}

/** A shrub or bush, a low diamond. */
export function shrub(kit: WorldKit, x: number, y: number, z: number, r: number, tint = 0xffffff): void {
  kit.add('foliage', new OctahedronGeometry(r), [x, y + r * 0.55, z], { scale: [1, 0.75, 1], yaw: kit.rng.range(0, 3), tint, flat: true });
}

/** A boulder, half sunk into the ground. */
export function rock(kit: WorldKit, x: number, y: number, z: number, size: number, surface = 'rock'): void {
  const r = kit.rng;
  kit.add(surface, new DodecahedronGeometry(size), [x, y + size * 0.2, z], {
    scale: [1, r.range(0.5, 0.75), r.range(0.7, 1)],
    rotation: [r.range(-0.3, 0.3), r.range(0, 6.28), r.range(-0.3, 0.3)],
    tint: shadeHex(0xffffff, r.range(0.85, 1.05)),
    flat: true,
  });
}

/** A wooden crate (edge ≤ 1.1 m), standing on y. */
export function crate(kit: WorldKit, x: number, y: number, z: number, size: number, yaw = 0, tint = 0xffffff): void {
  kit.box('wood', [size, size, size], [x, y + size / 2, z], { yaw, tint });
}

export function barrel(kit: WorldKit, x: number, y: number, z: number, tint = 0xffffff): void {
  kit.cylinder('wood', 0.34, 0.34, 0.95, [x, y + 0.475, z], { segments: 10, tint });
  kit.cylinder('metal', 0.37, 0.37, 0.08, [x, y + 0.25, z], { segments: 10 });
  kit.cylinder('metal', 0.37, 0.37, 0.08, [x, y + 0.7, z], { segments: 10 });
}

/** A lamp post; its lantern glows when the recipe's lamps are lit. */
export function lamp(kit: WorldKit, x: number, y: number, z: number, height = 3.2, style = 0): void {
  kit.cylinder('metal', 0.06, 0.1, height, [x, y + height / 2, z], { segments: 6 });
  if (style % 2 === 0) {
    kit.box('glow', [0.32, 0.42, 0.32], [x, y + height + 0.2, z]);
    kit.cone('metal', 0.3, 0.25, [x, y + height + 0.41, z], { segments: 4, yaw: Math.PI / 4 });
  } else {
    kit.sphere('glow', 0.26, [x, y + height + 0.2, z], { segments: 8 });
  }
}

export function bench(kit: WorldKit, x: number, y: number, z: number, yaw: number): void {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  kit.box('wood', [1.8, 0.1, 0.5], [x, y + 0.45, z], { yaw });
  kit.box('wood', [1.8, 0.45, 0.08], [x - s * 0.22, y + 0.75, z - c * 0.22], { yaw });
  for (const d of [-0.75, 0.75]) kit.box('metal', [0.08, 0.45, 0.45], [x + c * d, y + 0.22, z - s * d], { yaw });
}

export const PILLAR_STYLES = ['round', 'square', 'fluted'] as const;

/** A column from y to y + height, with a base and a capital. */
export function pillar(kit: WorldKit, x: number, y: number, z: number, height: number, radius: number, style: (typeof PILLAR_STYLES)[number], surface = 'trim', tint = 0xffffff): void {
  kit.box(surface, [radius * 2.6, 0.3, radius * 2.6], [x, y + 0.15, z], { tint });
  const shaft = height - 0.6;
  if (style === 'square') kit.box(surface, [radius * 1.8, shaft, radius * 1.8], [x, y + 0.3 + shaft / 2, z], { tint });
  else kit.cylinder(surface, radius * 0.9, radius, shaft, [x, y + 0.3 + shaft / 2, z], { segments: style === 'fluted' ? 16 : 10, tint });
  kit.box(surface, [radius * 2.6, 0.3, radius * 2.6], [x, y + height - 0.15, z], { tint });
}

/** A raised bed with shrubs or a small tree (≤ 1.1 m wide, so never a spawn ledge). */
export function planter(kit: WorldKit, x: number, y: number, z: number, length: number, yaw: number, withTree: boolean): void {
  kit.box('stone', [length, 0.55, 1.0], [x, y + 0.275, z], { yaw });
  kit.box('paint', [length - 0.2, 0.05, 0.8], [x, y + 0.56, z], { yaw, tint: 0x4a3423 });
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const n = Math.max(1, Math.round(length / 1.2));
  for (let i = 0; i < n; i++) {
    const t = ((i + 0.5) / n - 0.5) * (length - 0.4);
    shrub(kit, x + c * t, y + 0.5, z - s * t, 0.5, i % 2 ? 0xffffff : 0xd8f0c0);
  }
  if (withTree) tree(kit, 'round', x, y + 0.55, z, 0.7);
}

/** A figure on a plinth (the figure keeps the plinth top too crowded to spawn on). */
export function statue(kit: WorldKit, x: number, y: number, z: number, scale: number, yaw: number): void {
  const s = scale;
  kit.box('stone', [1.4 * s, 1.1 * s, 1.4 * s], [x, y + 0.55 * s, z], { yaw });
  kit.box('trim', [1.55 * s, 0.15 * s, 1.55 * s], [x, y + 1.1 * s, z], { yaw });
  const top = y + 1.18 * s;
  const surface = kit.rng.pick(['metal', 'accent', 'trim']);
  kit.cylinder(surface, 0.3 * s, 0.42 * s, 1.5 * s, [x, top + 0.75 * s, z], { segments: 8 });
  kit.sphere(surface, 0.26 * s, [x, top + 1.75 * s, z], { segments: 8 });
  const c = Math.cos(yaw);
  const sn = Math.sin(yaw);
  // One arm raised: the silhouette tells the statue's facing from afar.
  kit.box(surface, [0.18 * s, 1.1 * s, 0.18 * s], [x + c * 0.45 * s, top + 1.75 * s, z - sn * 0.45 * s], { rotation: [0, yaw, -0.35] });
  kit.box(surface, [0.18 * s, 0.9 * s, 0.18 * s], [x - c * 0.42 * s, top + 0.95 * s, z + sn * 0.42 * s], { rotation: [0, yaw, 0.2] });
}

export function obelisk(kit: WorldKit, x: number, y: number, z: number, height: number): void {
  kit.box('trim', [2.2, 0.4, 2.2], [x, y + 0.2, z]);
  kit.box('stone', [1.6, 0.5, 1.6], [x, y + 0.65, z]);
  kit.cylinder('accent', 0.32, 0.62, height, [x, y + 0.9 + height / 2, z], { segments: 4, yaw: Math.PI / 4, flat: true });
  kit.cone('glow', 0.36, 0.7, [x, y + 0.9 + height, z], { segments: 4, yaw: Math.PI / 4 });
}

/** A round basin with water and a tiered column. */
export function fountain(kit: WorldKit, x: number, y: number, z: number, radius: number): void {
  kit.cylinder('stone', radius, radius + 0.1, 0.55, [x, y + 0.275, z], { segments: 20 });
  kit.cylinder('water', radius - 0.25, radius - 0.25, 0.06, [x, y + 0.56, z], { segments: 20 });
  kit.cylinder('trim', 0.28, 0.38, 2.2, [x, y + 1.1, z], { segments: 10 });
  kit.cylinder('trim', 0.9, 0.3, 0.35, [x, y + 2.2, z], { segments: 14 });
  kit.cylinder('water', 0.75, 0.75, 0.05, [x, y + 2.38, z], { segments: 14 });
  kit.cylinder('accent', 0.12, 0.18, 0.9, [x, y + 2.8, z], { segments: 8 });
}

/** A round or square tower with a steep roof and dark (or lit) windows. */
export function tower(kit: WorldKit, x: number, y: number, z: number, radius: number, height: number, square: boolean): void {
  const segments = square ? 4 : 12;
  const yaw = square ? Math.PI / 4 : 0;
  kit.cylinder('wall', radius, radius * 1.08, height, [x, y + height / 2, z], { segments, yaw, flat: square });
  kit.cylinder('trim', radius * 1.18, radius * 1.18, 0.4, [x, y + height + 0.2, z], { segments, yaw, flat: square });
  kit.cone('roof', radius * 1.3, radius * 2.4, [x, y + height + 0.4, z], { segments, yaw, flat: square });
  const window = kit.recipe.light.lampsLit ? 'glow' : 'metal';
  for (let k = 0; k < 4; k++) {
    const a = (k * Math.PI) / 2;
    const d = square ? radius * 0.72 : radius * 1.0;
    kit.box(window, [0.5, 0.9, 0.5], [x + Math.sin(a) * d, y + height * 0.72, z + Math.cos(a) * d], { yaw: a });
  }
}

/** A lattice mast with a glowing orb on top. */
export function beacon(kit: WorldKit, x: number, y: number, z: number, height: number): void {
  const w = 0.8;
  for (const [dx, dz] of [[-w, -w], [w, -w], [-w, w], [w, w]] as const) {
    kit.cylinder('metal', 0.07, 0.1, height, [x + dx * 0.5, y + height / 2, z + dz * 0.5], { segments: 5, rotation: [-dz * 0.05, 0, dx * 0.05] });
  }
  for (let h = 1.5; h < height; h += 1.8) kit.box('accent', [w * 1.1, 0.12, w * 1.1], [x, y + h, z]);
  kit.box('accent', [w * 1.6, 0.2, w * 1.6], [x, y + height, z]);
  kit.sphere('glow', 0.55, [x, y + height + 0.6, z], { segments: 10 });
}

export function windmill(kit: WorldKit, x: number, y: number, z: number, yaw: number): void {
  kit.cylinder('wall', 1.2, 1.8, 7, [x, y + 3.5, z], { segments: 8, flat: true });
  kit.cone('roof', 1.5, 2.2, [x, y + 7, z], { segments: 8 });
  const fx = x + Math.sin(yaw) * 1.6;
  const fz = z + Math.cos(yaw) * 1.6;
  kit.cylinder('metal', 0.2, 0.2, 0.6, [fx, y + 6.6, fz], { rotation: [Math.PI / 2, yaw, 0], segments: 6 });
  const spin = kit.rng.range(0, Math.PI / 2);
  for (let i = 0; i < 4; i++) {
    const a = spin + (i * Math.PI) / 2;
    kit.box('cloth', [0.8, 4.2, 0.08], [fx + Math.cos(yaw) * Math.sin(a) * 2.2, y + 6.6 + Math.cos(a) * 2.2, fz - Math.sin(yaw) * Math.sin(a) * 2.2], { rotation: [0, yaw, -a] });
  }
}

/** Four posts and a steep pyramid roof over a low platform. */
export function pavilion(kit: WorldKit, x: number, y: number, z: number, half: number): void {
  kit.box('trim', [half * 2 + 0.6, 0.2, half * 2 + 0.6], [x, y + 0.1, z]);
  for (const [dx, dz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) kit.cylinder('trim', 0.14, 0.16, 2.8, [x + dx * half, y + 1.6, z + dz * half], { segments: 8 });
  kit.box('accent', [half * 2 + 0.5, 0.25, half * 2 + 0.5], [x, y + 3.1, z]);
  kit.cone('roof', (half + 0.6) * Math.SQRT2, (half + 0.6) * 1.7, [x, y + 3.2, z], { segments: 4, yaw: Math.PI / 4, flat: true });
}

/** A tall pole with a bold flag. */
export function flagpole(kit: WorldKit, x: number, y: number, z: number, height: number, yaw: number, surface = 'accent'): void {
  kit.cylinder('metal', 0.05, 0.08, height, [x, y + height / 2, z], { segments: 6 });
  kit.box(surface, [1.6, 1.0, 0.05], [x + Math.cos(yaw) * 0.8, y + height - 0.6, z - Math.sin(yaw) * 0.8], { yaw });
}

/** A large old tree, several canopies. */
export function bigTree(kit: WorldKit, x: number, y: number, z: number): void {
  kit.cylinder('bark', 0.4, 0.7, 4.5, [x, y + 2.25, z], { segments: 8 });
  for (let i = 0; i < 4; i++) {
    const a = (i * Math.PI) / 2 + kit.rng.range(-0.3, 0.3);
    kit.cylinder('bark', 0.12, 0.25, 2.4, [x + Math.sin(a) * 0.9, y + 4.4, z + Math.cos(a) * 0.9], { segments: 6, rotation: [0.7, a, 0] });
    kit.add('foliage', new OctahedronGeometry(2.1), [x + Math.sin(a) * 2.0, y + 5.6, z + Math.cos(a) * 2.0], { scale: [1, 0.9, 1], yaw: a, flat: true });
  }
  kit.add('foliage', new OctahedronGeometry(2.5), [x, y + 7.0, z], { scale: [1, 1.1, 1], flat: true });
}

/** A table for rooms (0.9 m deep: too narrow to be spawned on). */
export function table(kit: WorldKit, x: number, y: number, z: number, yaw: number, tint = 0xffffff): void {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  kit.box('wood', [1.8, 0.08, 0.9], [x, y + 0.76, z], { yaw, tint });
  for (const [a, b] of [[-0.8, -0.35], [0.8, -0.35], [-0.8, 0.35], [0.8, 0.35]] as const) kit.box('metal', [0.07, 0.72, 0.07], [x + c * a + s * b, y + 0.36, z - s * a + c * b], { yaw });
}

/** A bookcase or shelf unit against a wall, `yaw` facing the room. */
export function shelf(kit: WorldKit, x: number, y: number, z: number, yaw: number, width: number): void {
  kit.box('wood', [width, 2.2, 0.45], [x, y + 1.1, z], { yaw });
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  for (let row = 0; row < 4; row++) {
    kit.box('cloth', [width - 0.2, 0.34, 0.1], [x + s * 0.2, y + 0.3 + row * 0.5, z + c * 0.2], { yaw, tint: kit.rng.pick([0xffffff, 0xd0d8ff, 0xffd8c0]) });
  }
}

/** A pedestal with a bold abstract sculpture (gallery rooms). */
export function sculpture(kit: WorldKit, x: number, y: number, z: number): void {
  kit.box('trim', [0.8, 1.0, 0.8], [x, y + 0.5, z]);
  const surface = kit.rng.pick(['accent', 'accent2', 'metal']);
  const kind = kit.rng.int(0, 2);
  if (kind === 0) kit.add(surface, new TorusKnotGeometry(0.35, 0.12, 40, 6), [x, y + 1.55, z], { yaw: kit.rng.range(0, 3) });
  else if (kind === 1) kit.add(surface, new OctahedronGeometry(0.5), [x, y + 1.55, z], { scale: [0.8, 1.3, 0.8], flat: true });
  else kit.cylinder(surface, 0.05, 0.4, 1.2, [x, y + 1.6, z], { segments: 3, flat: true });
}

/** A market stall: counter, four posts, a steep striped roof. */
export function stall(kit: WorldKit, x: number, y: number, z: number, yaw: number, roof: string): void {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  kit.box('wood', [2.4, 0.9, 0.9], [x + s * 0.4, y + 0.45, z + c * 0.4], { yaw });
  for (const [a, b] of [[-1.15, -0.9], [1.15, -0.9], [-1.15, 0.8], [1.15, 0.8]] as const) kit.box('wood', [0.1, 2.4, 0.1], [x + c * a + s * b, y + 1.2, z - s * a + c * b], { yaw });
  for (const side of [-1, 1]) {
    kit.box(roof, [2.7, 0.05, 1.3], [x + s * side * 0.45, y + 2.75, z + c * side * 0.45], { rotation: [side * 0.9, yaw, 0] });
  }
  for (let i = 0; i < 3; i++) kit.box('paint', [0.5, 0.25, 0.4], [x + c * (i - 1) * 0.7 + s * 0.4, y + 1.02, z - s * (i - 1) * 0.7 + c * 0.4], { tint: kit.rng.pick([0xe05a3a, 0xf2c14e, 0x7bb661, 0xa05ad0]) });
}
