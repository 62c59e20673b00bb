import { backdrop, outerGround } from './backdrop.ts';
import { landmark } from './landmark.ts';
import { mixHex, shadeHex } from './palettes.ts';
import { perimeterWall } from './perimeterWall.ts';
import { barrel, bench, crate, flagpole, lamp, PILLAR_STYLES, pillar, planter, shrub, stall, statue, tree } from './props.ts';
import type { WorldKit } from './WorldKit.ts';
import { LANDMARKS } from './worldRecipe.ts';

/**
 * Courtyards and plazas: an open square inside a high wall, in four variants — a cloister
 * (arcades on some sides around a garden), a plaza (paved bands, tree planters, lamps, benches),
 * a formal garden (hedges and lawns on gravel) and a market (rows of striped stalls).
 */
export function buildCourtyard(kit: WorldKit): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const wallHeight = rng.range(3.6, 6);
  kit.box('ground', [2 * hx + 1.2, 0.4, 2 * hz + 1.2], [0, -0.2, 0]);
  outerGround(kit, 'path', -0.05);
  const gates = rng.shuffle([0, 1, 2, 3]).slice(0, rng.int(1, 2));
  perimeterWall(kit, hx, hz, { height: wallHeight, pilasterEvery: rng.chance(0.6) ? rng.range(3.5, 6) : 0, gates });
  backdrop(kit, rng.pick(['city', 'city', 'mountains', 'forest'] as const));
  switch (recipe.variant) {
    case 'cloister':
      cloister(kit, wallHeight);
      break;
    case 'plaza':
      plaza(kit);
      break;
    case 'garden':
      garden(kit);
      break;
    default:
      market(kit);
  }
  // A second, different landmark in a free corner region: two places to walk between.
  const other = rng.pick(LANDMARKS.filter((k) => k !== recipe.landmark && k !== 'fountain' && k !== 'pavilion'));
  const [spot] = kit.scatter(1, 2.6, [-hx + 3, -hz + 3, hx - 3, hz - 3], 200);
  if (spot) landmark(kit, other, spot[0], 0, spot[1], `landmark-${other}-2`);
}

function cloister(kit: WorldKit, wallHeight: number): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const depth = rng.range(2.6, 3.4);
  const height = Math.min(wallHeight - 0.8, rng.range(2.9, 3.5));
  const sides = rng.shuffle([0, 1, 2, 3]).slice(0, rng.int(2, 4));
  const style = rng.pick(PILLAR_STYLES);
  const spacing = rng.range(2.6, 3.4);
  const inner = { minX: -hx, maxX: hx, minZ: -hz, maxZ: hz };
  for (const side of sides) {
    const horizontal = side === 0 || side === 2;
    const sign = side === 0 || side === 3 ? -1 : 1;
    const along = horizontal ? hx : hz;
    const edge = (horizontal ? hz : hx) - depth;
    const line = sign * edge;
    // Floor a step up, the roof slab with a fascia, pillars along the open edge.
    const mid = sign * ((horizontal ? hz : hx) - depth / 2);
    kit.box('path', horizontal ? [2 * along, 0.14, depth + 0.3] : [depth + 0.3, 0.14, 2 * along], horizontal ? [0, 0.07, mid] : [mid, 0.07, 0]);
    kit.box('trim', horizontal ? [2 * along, 0.35, depth + 0.5] : [depth + 0.5, 0.35, 2 * along], horizontal ? [0, height + 0.175, mid] : [mid, height + 0.175, 0]);
    kit.box('roof', horizontal ? [2 * along, 0.5, 0.3] : [0.3, 0.5, 2 * along], horizontal ? [0, height + 0.55, line] : [line, height + 0.55, 0]);
    const n = Math.max(2, Math.round((2 * along) / spacing));
    for (let i = 0; i <= n; i++) {
      const u = -along + 0.6 + (i * (2 * along - 1.2)) / n;
      pillar(kit, horizontal ? u : line, 0.14, horizontal ? line : u, height - 0.14, 0.22, style);
      kit.claim(horizontal ? u : line, horizontal ? line : u, 0.5);
    }
    // Lanterns hang under the arcade.
    for (let i = 0; i < n; i += 2) {
      const u = -along + 0.6 + ((i + 0.5) * (2 * along - 1.2)) / n;
      kit.box('glow', [0.25, 0.35, 0.25], horizontal ? [u, height - 0.4, mid] : [mid, height - 0.4, u]);
    }
    if (side === 0) inner.minZ = -hz + depth + 0.5;
    if (side === 2) inner.maxZ = hz - depth - 0.5;
    if (side === 3) inner.minX = -hx + depth + 0.5;
    if (side === 1) inner.maxX = hx - depth - 0.5;
  }
  // Arcades are roofed: spawns only in the open square.
  kit.spawn = { min: [inner.minX + 1, inner.minZ + 1], max: [inner.maxX - 1, inner.maxZ - 1] };
  const cx = (inner.minX + inner.maxX) / 2;
  const cz = (inner.minZ + inner.maxZ) / 2;
  // A garden square: four lawns between cross paths, the landmark in the middle.
  kit.define('lawn', { pattern: 'grass', color: mixHex(kit.palette.foliage, 0x6fae4a, 0.5), scale: 2 });
  const lw = (inner.maxX - inner.minX) / 2 - 1.6;
  const ld = (inner.maxZ - inner.minZ) / 2 - 1.6;
  for (const dx of [-1, 1]) for (const dz of [-1, 1]) {
    const x = cx + dx * (lw / 2 + 0.9);
    const z = cz + dz * (ld / 2 + 0.9);
    kit.box('lawn', [lw, 0.12, ld], [x, 0.06, z]);
    kit.box('trim', [lw + 0.2, 0.18, 0.15], [x, 0.09, z + dz * (ld / 2)]);
    if (rng.chance(0.7)) {
      tree(kit, rng.pick(['round', 'poplar', 'diamond'] as const), x, 0.12, z, rng.range(0.8, 1.1));
      kit.claim(x, z, 1.6);
    }
  }
  landmark(kit, recipe.landmark, cx, 0, cz);
  for (const [x, z] of kit.scatter(rng.int(2, 4), 1.1, [inner.minX, inner.minZ, inner.maxX, inner.maxZ])) bench(kit, x, 0, z, Math.atan2(cx - x, cz - z) + Math.PI / 2);
}

function plaza(kit: WorldKit): void {
  const { recipe, rng } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  const r = Math.min(hx, hz) * rng.range(0.45, 0.6);
  // Paving bands: a ring of path stones and a cross, a couple of centimetres proud.
  const n = 24;
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2;
    kit.box('path', [2 * Math.PI * r / n + 0.05, 0.03, 1.4], [Math.sin(a) * r, 0.015, Math.cos(a) * r], { yaw: a });
  }
  kit.box('path', [2 * hx, 0.02, 1.6], [0, 0.01, 0]);
  kit.box('path', [1.6, 0.021, 2 * hz], [0, 0.0105, 0]);
  landmark(kit, recipe.landmark, 0, 0.03, 0);
  // Lamps on the ring, benches facing in.
  const lamps = rng.int(4, 8);
  const style = rng.int(0, 1);
  for (let i = 0; i < lamps; i++) {
    const a = ((i + 0.5) / lamps) * Math.PI * 2;
    const x = Math.sin(a) * (r + 1.3);
    const z = Math.cos(a) * (r + 1.3);
    lamp(kit, x, 0, z, rng.range(3, 3.8), style);
    kit.claim(x, z, 0.4);
    if (i % 2 === 0) {
      bench(kit, Math.sin(a + 0.25) * (r + 1.2), 0, Math.cos(a + 0.25) * (r + 1.2), a + Math.PI / 2);
      kit.claim(Math.sin(a + 0.25) * (r + 1.2), Math.cos(a + 0.25) * (r + 1.2), 1.0);
    }
  }
  // Rows of planted trees along two opposite sides.
  const alongX = rng.chance(0.5);
  const along = alongX ? hx : hz;
  const across = (alongX ? hz : hx) - rng.range(2.5, 3.5);
  const count = Math.round((2 * along - 4) / rng.range(4, 6));
  const kind = rng.pick(['round', 'diamond', 'poplar', 'palm'] as const);
  for (let i = 0; i <= count; i++) {
    const u = -along + 2 + (i * (2 * along - 4)) / count;
    for (const side of [-1, 1]) {
      const x = alongX ? u : side * across;
      const z = alongX ? side * across : u;
      if (!kit.isFree(x, z, 0.9)) continue;
      kit.box('stone', [1.6, 0.3, 1.6], [x, 0.15, z]);
      kit.box('paint', [1.3, 0.05, 1.3], [x, 0.31, z], { tint: 0x4a3423 });
      tree(kit, kind, x, 0.3, z, rng.range(0.9, 1.15));
      kit.claim(x, z, 1.2);
    }
  }
  for (const [x, z] of kit.scatter(rng.int(1, 3), 1.0, [-hx + 1, -hz + 1, hx - 1, hz - 1])) flagpole(kit, x, 0, z, rng.range(5, 7), rng.range(0, 6), rng.pick(['accent', 'accent2']));
  for (const [x, z] of kit.scatter(rng.int(2, 4), 1.4, [-hx + 1, -hz + 1, hx - 1, hz - 1])) planter(kit, x, 0, z, rng.range(1.8, 3), rng.pick([0, Math.PI / 2]), false);
}

function garden(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  kit.define('ground', { pattern: 'gravel', color: mixHex(palette.groundAlt, 0xc8b89a, 0.5), scale: 1.5 });
  kit.define('lawn', { pattern: 'grass', color: mixHex(palette.foliage, 0x5f9e3a, 0.4), scale: 2 });
  kit.define('hedge', { pattern: 'foliage', color: shadeHex(palette.foliage, 0.85), scale: 1.2 });
  landmark(kit, recipe.landmark, 0, 0, 0);
  // Lawns in a 2 × 2 or 3 × 2 parterre, each edged by hedges with a gap on the side facing the centre.
  const cols = rng.int(2, 3);
  const rows = 2;
  const cw = (2 * hx - 3) / cols;
  const cd = (2 * hz - 3) / rows;
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) {
    const x = -hx + 1.5 + (i + 0.5) * cw;
    const z = -hz + 1.5 + (j + 0.5) * cd;
    if (Math.hypot(x, z) < 4.5) continue;
    const w = cw - 3;
    const d = cd - 3;
    if (w < 2.5 || d < 2.5) continue;
    kit.box('lawn', [w, 0.1, d], [x, 0.05, z]);
    const hedgeH = rng.range(0.9, 1.5);
    // Hedges on the two outer sides only: the lawns stay open towards the paths.
    kit.box('hedge', [w, hedgeH, 0.7], [x, hedgeH / 2, z + Math.sign(z) * (d / 2 - 0.35)]);
    kit.claimRect(x, z + Math.sign(z) * (d / 2 - 0.35), w, 0.9);
    // A lawn in the middle column has no outer side along x.
    if (Math.abs(x) > 1) {
      kit.box('hedge', [0.7, hedgeH, d], [x + Math.sign(x) * (w / 2 - 0.35), hedgeH / 2, z]);
      kit.claimRect(x + Math.sign(x) * (w / 2 - 0.35), z, 0.9, d);
    }
    // Topiary at the inner corner, a tree or statue in the lawn.
    const topiary = rng.chance(0.5);
    const tx = x - (Math.abs(x) > 1 ? Math.sign(x) : 1) * (w / 2 - 0.6);
    const tz = z - Math.sign(z) * (d / 2 - 0.6);
    if (topiary) kit.cone('hedge', 0.6, 2.2, [tx, 0.1, tz], { segments: 8 });
    else shrub(kit, tx, 0.1, tz, 0.7);
    kit.claim(tx, tz, 0.8);
    const what = rng.next();
    if (what < 0.5) {
      tree(kit, rng.pick(['round', 'poplar', 'diamond'] as const), x, 0.1, z, rng.range(0.8, 1.2), rng.pick([0xffffff, 0xffd0a0, 0xd0ffd0]));
      kit.claim(x, z, 1.5);
    } else if (what < 0.75) {
      kit.group(`statue-${i}-${j}`, () => statue(kit, x, 0.1, z, 1, rng.range(0, 6)));
      kit.claim(x, z, 1.2);
    }
  }
  // A pergola: posts and beams along one side (no roof to stand on).
  const side = rng.pick([-1, 1]);
  const length = 2 * hx - 6;
  const z = side * (hz - 1.6);
  for (let i = 0; i <= Math.round(length / 2.5); i++) {
    const x = -length / 2 + (i * length) / Math.round(length / 2.5);
    for (const dz of [-1, 1]) kit.box('wood', [0.18, 2.6, 0.18], [x, 1.3, z + dz * 0.9]);
    kit.box('wood', [0.14, 0.2, 2.4], [x, 2.7, z]);
  }
  for (const dz of [-1, 1]) kit.box('wood', [length + 0.4, 0.2, 0.16], [0, 2.55, z + dz * 0.9]);
  kit.claimRect(0, z, length, 2.2);
}

function market(kit: WorldKit): void {
  const { recipe, rng, palette } = kit;
  const { halfX: hx, halfZ: hz } = recipe;
  kit.define('cloth2', { pattern: 'stripes', color: palette.light, accent: palette.accent2, scale: 1.2 });
  kit.define('cloth3', { pattern: 'stripes', color: shadeHex(palette.accent, 0.6), accent: 0xf2eee0, scale: 0.9 });
  landmark(kit, recipe.landmark, rng.range(-2, 2), 0, rng.range(-2, 2));
  const cols = Math.floor((2 * hx - 4) / 5.5);
  const rows = Math.floor((2 * hz - 4) / 6.5);
  for (let i = 0; i < cols; i++) for (let j = 0; j < rows; j++) {
    const x = -hx + 2 + (i + 0.5) * ((2 * hx - 4) / cols);
    const z = -hz + 2 + (j + 0.5) * ((2 * hz - 4) / rows);
    if (!kit.isFree(x, z, 1.9) || rng.chance(0.2)) continue;
    const yaw = j % 2 === 0 ? 0 : Math.PI;
    stall(kit, x, 0, z, yaw, rng.pick(['cloth', 'cloth2', 'cloth3']));
    kit.claimRect(x, z, 3.2, 2.6);
    // Goods around it.
    for (const [cx, cz] of kit.scatter(rng.int(1, 3), 0.6, [x - 2.6, z - 2.4, x + 2.6, z + 2.4], 20)) {
      if (rng.chance(0.5)) crate(kit, cx, 0, cz, rng.range(0.6, 1.0), rng.range(0, 1.5), rng.pick([0xffffff, 0xe0c0a0]));
      else barrel(kit, cx, 0, cz);
    }
  }
  for (const [x, z] of kit.scatter(rng.int(3, 6), 0.5, [-hx + 1, -hz + 1, hx - 1, hz - 1])) lamp(kit, x, 0, z, 3.4, 1);
}
