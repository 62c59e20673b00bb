import {
  BoxGeometry,
  type BufferGeometry,
  ConeGeometry,
  CylinderGeometry,
  Euler,
  Group,
  type Material,
  Matrix4,
  MeshBasicMaterial,
  MeshLambertMaterial,
  type Object3D,
  Quaternion,
  Scene,
  SphereGeometry,
  Vector3,
} from 'three';
import { MeshBatch } from './MeshBatch.ts';
import { shadeHex, type Palette } from './palettes.ts';
import { patternTexture, type Pattern } from './patternTexture.ts';
import { seededRandom, type Random } from './seededRandom.ts';
import { wedgeGeometry } from './wedgeGeometry.ts';
import type { WorldRecipe } from './worldRecipe.ts';

/** How a surface looks: a canvas pattern in a colour, or an unlit glow. */
export interface SurfaceSpec {
  pattern: Pattern;
  color: number;
  /** Second colour of two-colour patterns (checker, stripes, carpet, heather). */
  accent?: number;
  /** Metres per texture repeat. Default 2. */
  scale?: number;
  /** Unlit: lamps and lit windows. */
  glow?: boolean;
}

/** Where and how a part is placed. */
export interface Placement {
  /** Turn about +y, radians. */
  yaw?: number;
  /** Full rotation instead of `yaw` (Euler, radians). */
  rotation?: [number, number, number];
  /** Scale per axis. */
  scale?: [number, number, number];
  /** Vertex colour multiplied with the texture (sRGB hex). Default white. */
  tint?: number;
  /** Flat shading: one normal per triangle (stepped lathes, rocks). */
  flat?: boolean;
}

type Vec3 = [number, number, number];

const _m = new Matrix4();
const _q = new Quaternion();
const _e = new Euler();
const _p = new Vector3();
const _s = new Vector3();

/**
 * What a world family builds with: the recipe, a seeded random stream, named surfaces (materials
 * made on first use) and primitives that land in merged per-surface meshes — or, inside `group`,
 * in a proxy of their own, which the recorder's players take as a landmark. Tracks claimed
 * ground so props do not overlap, the spawn rectangle and the ground height under a point.
 */
export class WorldKit {
  readonly recipe: WorldRecipe;
  readonly palette: Palette;
  readonly rng: Random;
  readonly scene = new Scene();
  readonly overlays: Object3D[] = [];
  /** x/z rectangle where players may start; families set it to their open, walkable ground. */
  spawn: { min: [number, number]; max: [number, number] };
  /** Height of the walkable ground under a point (families with hills or levels replace it). */
  groundAt: (x: number, z: number) => number = () => 0;
  private readonly specs = new Map<string, SurfaceSpec>();
  private readonly materials = new Map<string, Material>();
  private readonly bulk = new MeshBatch();
  private target: MeshBatch;
  private readonly groups: { name: string; batch: MeshBatch }[] = [];
  private readonly claims: { x: number; z: number; r: number }[] = [];

  constructor(recipe: WorldRecipe) {
    this.recipe = recipe;
    this.palette = recipe.palette;
    this.rng = seededRandom(recipe.seed, 'build');
    this.target = this.bulk;
    const { halfX, halfZ } = recipe;
    this.spawn = { min: [-halfX + 1.5, -halfZ + 1.5], max: [halfX - 1.5, halfZ - 1.5] };
    const p = recipe.palette;
    const defaults: Record<string, SurfaceSpec> = {
      ground: { pattern: recipe.floor, color: p.ground, accent: p.accent, scale: recipe.floor === 'carpet' ? 3 : 2 },
      path: { pattern: recipe.floor === 'flagstones' ? 'cobbles' : 'flagstones', color: p.groundAlt, scale: 2 },
      wall: { pattern: recipe.wall, color: p.main, accent: shadeHex(p.main, 0.8), scale: recipe.wall === 'stripes' ? 2 : 2.5 },
      trim: { pattern: 'plain', color: p.light, scale: 1 },
      stone: { pattern: 'stone', color: p.stone, scale: 1.6 },
      wood: { pattern: 'planks', color: p.wood, scale: 1.2 },
      bark: { pattern: 'bark', color: shadeHex(p.wood, 0.8), scale: 1 },
      foliage: { pattern: 'foliage', color: p.foliage, scale: 1.5 },
      accent: { pattern: 'plain', color: p.accent, scale: 1 },
      accent2: { pattern: 'plain', color: p.accent2, scale: 1 },
      paint: { pattern: 'plain', color: 0xf2f2f2, scale: 1 },
      metal: { pattern: 'plain', color: p.metal, scale: 1 },
      roof: { pattern: 'roof', color: p.accent2, scale: 1.5 },
      cloth: { pattern: 'stripes', color: p.light, accent: p.accent, scale: 1.2 },
      rock: { pattern: 'rock', color: shadeHex(p.stone, 0.85), scale: 2 },
      water: { pattern: 'water', color: p.water, scale: 3 },
      glow: recipe.light.lampsLit ? { pattern: 'plain', color: 0xffe2a0, glow: true } : { pattern: 'plain', color: shadeHex(p.light, 0.9), scale: 1 },
    };
    for (const [name, spec] of Object.entries(defaults)) this.specs.set(name, spec);
  }

  /** Define or redefine a surface (before anything uses it). */
  define(surface: string, spec: SurfaceSpec): void {
    this.specs.set(surface, spec);
  }

  /** A box of full size `size` centred at `at`. */
  box(surface: string, size: Vec3, at: Vec3, place: Placement = {}): void {
    this.add(surface, new BoxGeometry(...size), at, place);
  }

  /** An upright cylinder (or frustum) of height `height` centred at `at`. */
  cylinder(surface: string, radiusTop: number, radiusBottom: number, height: number, at: Vec3, place: Placement & { segments?: number } = {}): void {
    this.add(surface, new CylinderGeometry(radiusTop, radiusBottom, height, place.segments ?? 12), at, place);
  }

  /** An upright cone standing on `at` (its base centre). */
  cone(surface: string, radius: number, height: number, at: Vec3, place: Placement & { segments?: number } = {}): void {
    this.add(surface, new ConeGeometry(radius, height, place.segments ?? 10), [at[0], at[1] + height / 2, at[2]], place);
  }

  sphere(surface: string, radius: number, at: Vec3, place: Placement & { segments?: number } = {}): void {
    const n = place.segments ?? 10;
    this.add(surface, new SphereGeometry(radius, n, Math.max(4, Math.round(n * 0.6))), at, place);
  }

  /** A ramp rising towards −z (before `yaw`) from 0 to `size[1]`; `at` is its bottom face's centre. */
  wedge(surface: string, size: Vec3, at: Vec3, place: Placement = {}): void {
    this.add(surface, wedgeGeometry(...size), at, place);
  }

  /** Any geometry (taken over), moved to `at`. */
  add(surface: string, geometry: BufferGeometry, at: Vec3, place: Placement = {}): void {
    const spec = this.specs.get(surface);
    if (!spec) throw new Error(`WorldKit: no surface "${surface}"; define it first.`);
    if (place.rotation) _e.set(...place.rotation, 'YXZ');
    else _e.set(0, place.yaw ?? 0, 0);
    _q.setFromEuler(_e);
    _s.set(...(place.scale ?? [1, 1, 1]));
    _m.compose(_p.set(...at), _q, _s);
    if (place.flat) {
      const flat = geometry.index ? geometry.toNonIndexed() : geometry;
      if (flat !== geometry) geometry.dispose();
      flat.deleteAttribute('normal');
      flat.computeVertexNormals();
      geometry = flat;
    }
    this.target.add(surface, geometry, _m, place.tint ?? 0xffffff, spec.scale ?? 2);
  }

  /**
   * Build a thing as a proxy of its own named `name` (a landmark for the scripted players when
   * it stands up from the ground), rather than merged into the world's bulk.
   */
  group(name: string, build: () => void): void {
    const batch = new MeshBatch();
    const outer = this.target;
    this.target = batch;
    try {
      build();
    } finally {
      this.target = outer;
    }
    if (!batch.isEmpty) this.groups.push({ name, batch });
  }

  /** Whether a circle of ground is free of claimed things (and inside the walkable area, `margin` from its edge). */
  isFree(x: number, z: number, r: number, margin = 0.5): boolean {
    const { halfX, halfZ } = this.recipe;
    if (Math.abs(x) + r > halfX - margin || Math.abs(z) + r > halfZ - margin) return false;
    return this.claims.every((c) => Math.hypot(c.x - x, c.z - z) >= c.r + r);
  }

  /** Mark a circle of ground as taken. */
  claim(x: number, z: number, r: number): void {
    this.claims.push({ x, z, r });
  }

  /** Claim a rectangle (as circles along its long side). */
  claimRect(x: number, z: number, w: number, d: number): void {
    const long = Math.max(w, d);
    const short = Math.min(w, d);
    const n = Math.max(1, Math.ceil(long / short));
    for (let i = 0; i < n; i++) {
      const t = ((i + 0.5) / n - 0.5) * long;
      this.claim(w >= d ? x + t : x, w >= d ? z : z + t, (Math.hypot(short, long / n) / 2) * 1.02);
    }
  }

  /** Up to `count` free spots of radius `r` inside `area` (x0, z0, x1, z1), claimed as found. */
  scatter(count: number, r: number, area: [number, number, number, number], tries = count * 12): [number, number][] {
    const spots: [number, number][] = [];
    for (let t = 0; t < tries && spots.length < count; t++) {
      const x = this.rng.range(area[0], area[2]);
      const z = this.rng.range(area[1], area[3]);
      if (!this.isFree(x, z, r)) continue;
      this.claim(x, z, r);
      spots.push([x, z]);
    }
    return spots;
  }

  /** Merge everything into meshes, add them to the scene and return them as the proxies. */
  finish(): Object3D[] {
    const proxies: Object3D[] = [];
    for (const mesh of this.bulk.build((s) => this.material(s), 'world')) proxies.push(mesh);
    for (const { name, batch } of this.groups) {
      const group = new Group();
      group.name = name;
      group.add(...batch.build((s) => this.material(s), name));
      proxies.push(group);
    }
    this.scene.add(...proxies);
    return proxies;
  }

  /** The material of a surface, made once. */
  material(surface: string): Material {
    const made = this.materials.get(surface);
    if (made) return made;
    const spec = this.specs.get(surface)!;
    const salt = this.recipe.seed * 31 + this.materials.size;
    const material = spec.glow
      ? new MeshBasicMaterial({ color: spec.color, vertexColors: true })
      : new MeshLambertMaterial({ map: patternTexture(spec.pattern, spec.color, spec.accent ?? spec.color, salt), vertexColors: true });
    material.name = surface;
    this.materials.set(surface, material);
    return material;
  }
}
