import type { Camera, Object3D, Scene } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneLayout } from './SceneDescription.ts';

/**
 * How a user hands a scene to every tool (recorder, plug-in, demo, benchmarks): an ES module
 * whose default export builds it with ordinary three.js code.
 *
 * ```ts
 * export default async function createScene({ seed }: SceneOptions): Promise<SceneModuleResult> {
 *   const scene = new Scene();
 *   const floor = new Mesh(new BoxGeometry(20, 0.5, 20), new MeshLambertMaterial({ color: 0x999999 }));
 *   floor.position.y = -0.25;
 *   scene.add(floor, new HemisphereLight(0xffffff, 0x444444, 2));
 *   return { scene, proxies: [floor], spawn: { min: [-8, -8], max: [8, 8] } };
 * }
 * ```
 */
export interface SceneOptions {
  /** Seed of the scene (scenes that ignore it are fine). */
  seed: number;
}

export interface SceneModuleResult {
  /** Everything three draws: meshes, lights, fog, textures, GLTF models. */
  scene: Scene;
  /** What the player collides with and depth is cast against (their meshes, children included). */
  proxies: Object3D[];
  /** x/z rectangle where players may start; a spot's height is the walkable surface under it. */
  spawn: { min: [number, number]; max: [number, number] };
  /** Physics objects drawn over the painted world (spheres become balls, anything else crates). */
  overlays?: Object3D[];
  /** Scene id; default: the module's file name. */
  id?: string;
  /**
   * The scene's colliders as plain data, when the module knows them exactly (the built-in arena);
   * default: taken from `proxies`, `overlays` and `spawn`.
   */
  layout?: SceneLayout;
  /** Called before each frame is drawn (a sky that follows the camera, say). */
  beforeRender?: (camera: Camera) => void;
  /** Frees what the module made beyond the scene graph (it is disposed for it). */
  dispose?: () => void;
}

export type CreateScene = (options: SceneOptions) => SceneModuleResult | Promise<SceneModuleResult>;

/** Check an imported module against the contract and return its `createScene`. */
export function sceneFactory(module: unknown, source: string): CreateScene {
  const factory = (module as { default?: unknown } | null)?.default;
  if (typeof factory !== 'function') {
    const found = module && typeof module === 'object' ? Object.keys(module) : [];
    throw new NextframeError(
      'bad-scene',
      `SceneModule: ${source} has no default export function; found ${found.length ? `exports ${found.join(', ')}` : 'no exports'}. ` +
        'Expected `export default async function createScene({ seed }) { … return { scene, proxies, spawn }; }`.',
    );
  }
  return factory as CreateScene;
}

/** Check what `createScene` returned; every problem is listed in one error. */
export function checkSceneResult(result: unknown, source: string): SceneModuleResult {
  const problems: string[] = [];
  const r = result as Partial<SceneModuleResult> | null | undefined;
  if (!r || typeof r !== 'object') {
    throw new NextframeError('bad-scene', `SceneModule: createScene in ${source} returned ${String(result)}; expected an object { scene, proxies, spawn }.`);
  }
  if (!(r.scene as { isScene?: boolean } | undefined)?.isScene) problems.push('`scene` must be a THREE.Scene');
  if (!Array.isArray(r.proxies)) problems.push('`proxies` must be an array of Object3D (what the player collides with)');
  else if (r.proxies.length === 0 && !r.layout) problems.push('`proxies` is empty: give at least the floor, or the player falls forever and depth rays hit nothing');
  else if (r.proxies.some((p) => !(p as { isObject3D?: boolean } | null)?.isObject3D)) problems.push('every entry of `proxies` must be a THREE.Object3D');
  const s = r.spawn;
  const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!s || !pair(s.min) || !pair(s.max)) problems.push('`spawn` must be { min: [x, z], max: [x, z] } with finite numbers');
  else if (s.min[0] > s.max[0] || s.min[1] > s.max[1]) problems.push(`\`spawn.min\` (${s.min.join(', ')}) must not exceed \`spawn.max\` (${s.max.join(', ')})`);
  if (r.overlays !== undefined && !Array.isArray(r.overlays)) problems.push('`overlays` must be an array of Object3D when given');
  if (problems.length) throw new NextframeError('bad-scene', `SceneModule: createScene in ${source} returned a scene that does not follow the contract: ${problems.join('; ')}.`);
  return r as SceneModuleResult;
}
