import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import type { DynamicObject, SceneDescription, SceneMaterial, StaticShape, Vec3 } from './SceneDescription.ts';

/**
 * The default world: a walled courtyard about 24 × 24 m with landmarks a player can find again.
 * Every landmark and every wall side has its own bold colour, so a 64 × 64 view says where it
 * was taken. The seed jitters positions and picks where balls and crates lie; recordings use
 * scene seed 0 so every episode is the same world.
 */

const HALF = 12; // walkable interior is [−12, 12]² metres
const WALL_HEIGHT = 4;
const WALL_THICKNESS = 0.6;

/** Materials by id: colour (sRGB) and the canvas pattern drawn over it in the browser. */
export const ARENA_MATERIALS: Readonly<Record<string, SceneMaterial>> = {
  floor: { color: 0xcdb78c, pattern: 'tiles', textureSize: 4, roughness: 0.95 },
  'wall-north': { color: 0x6a48b8, pattern: 'bricks', textureSize: 3 }, // violet
  'wall-east': { color: 0x139c9c, pattern: 'bricks', textureSize: 3 }, // teal
  'wall-south': { color: 0xd24f8e, pattern: 'bricks', textureSize: 3 }, // pink
  'wall-west': { color: 0xbdb3a0, pattern: 'stone', textureSize: 3 }, // pale stone
  'wall-cap': { color: 0x3b3540, pattern: 'plain' },
  'pillar-red': { color: 0xe0262b, pattern: 'stripes', textureSize: 2 },
  'pillar-blue': { color: 0x2455e0, pattern: 'stripes', textureSize: 2 },
  'pillar-yellow': { color: 0xf5c81c, pattern: 'stripes', textureSize: 2 },
  'pillar-green': { color: 0x1fae48, pattern: 'stripes', textureSize: 2 },
  arch: { color: 0xf4f0e6, pattern: 'stone', textureSize: 2 },
  ramp: { color: 0xee8426, pattern: 'stripes', textureSize: 1 },
  platform: { color: 0x46556e, pattern: 'tiles', textureSize: 2 },
  bench: { color: 0x2f3a4c, pattern: 'planks', textureSize: 1.5 },
  stage: { color: 0x9aa3ad, pattern: 'tiles', textureSize: 1 },
  crate: { color: 0x9a6733, pattern: 'planks', textureSize: 1 },
  trunk: { color: 0x6b4423, pattern: 'bark', textureSize: 1 },
  canopy: { color: 0x2c6e2a, pattern: 'leaves', textureSize: 2 },
  ball: { color: 0xff5a1f, pattern: 'plain' },
  'dynamic-crate': { color: 0xc08a4a, pattern: 'planks', textureSize: 0.7 },
};

export function arenaScene(seed = 0): SceneDescription {
  const rng = new SeededRandom(seed);
  const jitter = (amount: number): number => (rng.nextFloat() * 2 - 1) * amount;
  const statics: StaticShape[] = [];
  const box = (id: string, material: string, position: Vec3, size: Vec3, yaw = 0, landmark = false): void => {
    statics.push({ id, kind: 'box', material, position, size, yaw, ...(landmark ? { landmark } : {}) });
  };

  // Floor: a slab whose top is y = 0.
  box('floor', 'floor', [0, -0.25, 0], [2 * HALF + 2 * WALL_THICKNESS, 0.5, 2 * HALF + 2 * WALL_THICKNESS]);

  // Walls: one colour per side, with a dark cap so the top edge reads against the sky.
  const span = 2 * HALF + 2 * WALL_THICKNESS;
  const off = HALF + WALL_THICKNESS / 2;
  const walls: [string, Vec3, Vec3][] = [
    ['wall-north', [0, WALL_HEIGHT / 2, -off], [span, WALL_HEIGHT, WALL_THICKNESS]],
    ['wall-south', [0, WALL_HEIGHT / 2, off], [span, WALL_HEIGHT, WALL_THICKNESS]],
    ['wall-east', [off, WALL_HEIGHT / 2, 0], [WALL_THICKNESS, WALL_HEIGHT, 2 * HALF]],
    ['wall-west', [-off, WALL_HEIGHT / 2, 0], [WALL_THICKNESS, WALL_HEIGHT, 2 * HALF]],
  ];
  for (const [id, position, size] of walls) {
    box(id, id, position, size, 0, true);
    box(`${id}-cap`, 'wall-cap', [position[0], WALL_HEIGHT + 0.15, position[2]], [size[0] + 0.1, 0.3, size[2] + 0.1]);
  }

  // Four tall pillars, one per colour, at irregular places so no two views match.
  const pillars: [string, number, number][] = [
    ['red', -8, -4],
    ['blue', 7, -8],
    ['yellow', 8, 5],
    ['green', -4.5, 8],
  ];
  for (const [colour, x, z] of pillars) {
    statics.push({ id: `pillar-${colour}`, kind: 'cylinder', material: `pillar-${colour}`, position: [x + jitter(0.5), 2.75, z + jitter(0.5)], radius: 0.55, height: 5.5, yaw: 0, landmark: true });
  }

  // A white arch near the north wall: two posts and a lintel, walkable underneath.
  const archX = jitter(0.8);
  const archZ = -8.5 + jitter(0.4);
  box('arch-post-left', 'arch', [archX - 1.6, 1.5, archZ], [0.6, 3, 0.6], 0, true);
  box('arch-post-right', 'arch', [archX + 1.6, 1.5, archZ], [0.6, 3, 0.6], 0, true);
  box('arch-lintel', 'arch', [archX, 3.3, archZ], [3.8, 0.6, 0.7], 0, true);

  // An orange ramp up to a slate platform against the west wall (the only way up).
  const platformZ = 1.5 + jitter(0.5);
  box('platform', 'platform', [-10.5, 0.6, platformZ], [3, 1.2, 4], 0, true);
  statics.push({ id: 'ramp', kind: 'ramp', material: 'ramp', position: [-7, 0, platformZ], size: [4, 1.2, 4], yaw: Math.PI / 2, landmark: true });

  // A tree: trunk and a cone of leaves, south-east of the centre.
  const treeX = 3 + jitter(0.6);
  const treeZ = 1.5 + jitter(0.6);
  statics.push({ id: 'tree-trunk', kind: 'cylinder', material: 'trunk', position: [treeX, 1.1, treeZ], radius: 0.28, height: 2.2, yaw: 0, landmark: true });
  statics.push({ id: 'tree-canopy', kind: 'cone', material: 'canopy', position: [treeX, 3.1, treeZ], radius: 1.5, height: 3, yaw: 0, landmark: true });

  // A stack of crates in the south-west corner.
  const crateYaw = jitter(0.3);
  box('crate-1', 'crate', [-9.8, 0.5, 9.6], [1, 1, 1], crateYaw, true);
  box('crate-2', 'crate', [-8.6, 0.5, 9.9], [1, 1, 1], crateYaw + 0.2, true);
  box('crate-3', 'crate', [-9.7, 0.5, 8.4], [1, 1, 1], crateYaw - 0.15, true);
  box('crate-4', 'crate', [-9.4, 1.5, 9.3], [1, 1, 1], crateYaw + 0.5, true);

  // A long dark bench to bump into, and a low stage the controller steps onto.
  box('bench', 'bench', [6.5 + jitter(0.4), 0.4, -1.5 + jitter(0.4)], [3.2, 0.8, 0.7], 0.1 + jitter(0.2), true);
  box('stage', 'stage', [-1 + jitter(0.4), 0.125, 5.5 + jitter(0.4)], [2.5, 0.25, 2.5], 0, true);

  // Physics objects: drawn only as overlays, never in the recorded world.
  const dynamics: DynamicObject[] = [];
  const free: [number, number][] = [
    [-2, -3],
    [1.5, -5],
    [4, 8],
    [-3.5, -0.5],
    [0, 2],
    [9.5, -3.5],
    [-4.5, -6.5],
  ];
  free.forEach(([x, z], i) => {
    const position: Vec3 = [x + jitter(0.5), 0, z + jitter(0.5)];
    if (i < 4) dynamics.push({ id: `ball-${i}`, kind: 'ball', position: [position[0], 0.3, position[2]], radius: 0.3, mass: 2, material: 'ball' });
    else dynamics.push({ id: `crate-${i - 4}`, kind: 'crate', position: [position[0], 0.35, position[2]], size: [0.7, 0.7, 0.7], yaw: jitter(0.8), mass: 12, material: 'dynamic-crate' });
  });

  return {
    id: 'arena',
    seed,
    bounds: { halfX: HALF, halfZ: HALF },
    materials: ARENA_MATERIALS,
    statics,
    dynamics,
    spawn: { minX: -HALF + 1, maxX: HALF - 1, minZ: -HALF + 1, maxZ: HALF - 1, floorY: 0 },
    lighting: {
      skyTop: 0x2f6fc4,
      skyHorizon: 0xb9dcf5,
      sunDirection: [0.5, 1.3, -0.35],
      sunColor: 0xfff1d6,
      sunIntensity: 2.2,
      ambientColor: 0xdde8ff,
      ambientIntensity: 2.0,
    },
  };
}

/** Scene ids the recorder and CLI accept. */
export const SCENES: Readonly<Record<string, (seed: number) => SceneDescription>> = { arena: arenaScene };
