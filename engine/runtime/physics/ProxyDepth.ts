import type { Ray } from '@dimforge/rapier3d-compat';
import type { PhysicsWorld } from './PhysicsWorld.ts';
import { imagePlane, pixelRays, type CameraIntrinsics } from '../../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { cameraDirectionToWorld, poseTransform } from '../../../worldmodel/geometry/PoseTransform.ts';
import { NextframeError } from '../../../worldmodel/errors.ts';

export interface ProxyDepthOptions {
  /** Depth image size in pixels (the model's resolution). */
  width: number;
  height: number;
  camera: CameraIntrinsics;
  /**
   * Rapier query filter flags. Default: skip dynamic bodies (overlay objects, drawn on top
   * later) and kinematic bodies (the player's own capsule): only the static world is proxy geometry.
   */
  filterFlags?: number;
  /**
   * Also keep which collider each pixel's ray hit, for the last this many renders (`objectsOf`),
   * so spatial memory can colour what it never saw of an object with what it saw of it
   * (`SpatialMemory.objectsOf`). Default 0: none kept. The plug-in keeps 32.
   */
  keepObjects?: number;
}

/** The collider handles behind one rendered depth image (−1: nothing within far). */
interface ObjectMap {
  depth: Float32Array;
  objects: Float64Array;
}

/**
 * Proxy depth by ray casts against the physics colliders: one ray per pixel centre, through the
 * same pinhole camera the renderer uses. The value is metric view-space depth along the camera's
 * −z axis (what a depth buffer linearises to), not distance along the ray; rays that hit nothing
 * within `far` read `far`. Row 0 is the top of the image. Works in Node and the browser alike.
 */
export class ProxyDepth {
  readonly width: number;
  readonly height: number;
  readonly camera: Readonly<CameraIntrinsics>;
  /** Milliseconds the last `render()` took. */
  lastMs = 0;
  private readonly physics: PhysicsWorld;
  /** Per pixel, the camera-space direction (x, y) with z = −1: a hit at time t is at depth t. */
  private readonly raysX: Float32Array;
  private readonly raysY: Float32Array;
  private readonly ray: Ray;
  private readonly flags: number;
  private readonly keepObjects: number;
  /** The last `keepObjects` renders' depth and collider handles, oldest first; their buffers are reused. */
  private readonly objectMaps: ObjectMap[] = [];

  constructor(physics: PhysicsWorld, options: ProxyDepthOptions) {
    const { width, height, camera } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new NextframeError('bad-options', `ProxyDepth: width and height must be positive integers, found ${width} × ${height}.`);
    }
    if (!(camera.far > camera.near && camera.near > 0)) throw new NextframeError('bad-options', `ProxyDepth: expected 0 < near < far, found near ${camera.near}, far ${camera.far}.`);
    const keepObjects = options.keepObjects ?? 0;
    if (!Number.isInteger(keepObjects) || keepObjects < 0) throw new NextframeError('bad-options', `ProxyDepth: keepObjects must be a whole number of renders (0: none), found ${keepObjects}.`);
    this.keepObjects = keepObjects;
    this.physics = physics;
    this.width = width;
    this.height = height;
    this.camera = { ...camera };
    const { rapier } = physics;
    this.flags = options.filterFlags ?? rapier.QueryFilterFlags.EXCLUDE_DYNAMIC | rapier.QueryFilterFlags.EXCLUDE_KINEMATIC | rapier.QueryFilterFlags.EXCLUDE_SENSORS;
    this.ray = new rapier.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
    this.raysX = new Float32Array(width * height);
    this.raysY = new Float32Array(width * height);
    pixelRays(imagePlane(width, height, camera.fovYDegrees, camera.aspect), this.raysX, this.raysY);
  }

  /** Depth image for a camera pose, `width × height` metres, row-major, row 0 at the top. */
  render(pose: Readonly<Pose>, out: Float32Array = new Float32Array(this.width * this.height)): Float32Array {
    if (out.length !== this.width * this.height) throw new NextframeError('bad-frame', `ProxyDepth: output must hold ${this.width * this.height} values, found ${out.length}.`);
    if (this.physics.isDisposed) throw new NextframeError('disposed', 'ProxyDepth: the physics world was disposed; create ProxyDepth for a live world.');
    const started = performance.now();
    const { world, rapier } = this.physics;
    const { ray, raysX, raysY, flags } = this;
    const far = this.camera.far;
    const view = poseTransform(pose);
    ray.origin.x = pose.x;
    ray.origin.y = pose.y;
    ray.origin.z = pose.z;
    // Rapier's own query layer, one level down from world.castRay: that call makes two wasm
    // vectors and a hit object with its collider per ray, which cost ~3× the cast itself at
    // 4,096 rays a tick. The same query (broad phase, the same filter) with two vectors made
    // once per render and only the time of impact read back.
    const origin = rapier.VectorOps.intoRaw(ray.origin);
    const dir = rapier.VectorOps.intoRaw(ray.dir);
    const query = world.broadPhase.raw;
    const narrow = world.narrowPhase.raw;
    const bodies = world.bodies.raw;
    const colliders = world.colliders.raw;
    const d = ray.dir;
    const objects = this.keepObjects > 0 ? this.nextObjectMap() : null;
    try {
      for (let p = 0, n = out.length; p < n; p++) {
        // |dir| ≥ 1 and its view-space z is −1, so time of impact = view-space depth.
        cameraDirectionToWorld(view, raysX[p]!, raysY[p]!, -1, d);
        dir.x = d.x;
        dir.y = d.y;
        dir.z = d.z;
        const hit = query.castRay(narrow, bodies, colliders, origin, dir, far, true, flags, undefined, undefined, undefined, undefined as unknown as () => boolean);
        if (!hit) {
          out[p] = far;
          if (objects) objects.objects[p] = -1;
          continue;
        }
        const toi = hit.timeOfImpact();
        if (objects) objects.objects[p] = toi > far ? -1 : hit.colliderHandle();
        hit.free();
        out[p] = toi > far ? far : toi;
      }
    } finally {
      origin.free();
      dir.free();
    }
    if (objects) objects.depth.set(out);
    this.lastMs = performance.now() - started;
    return out;
  }

  /**
   * The collider each pixel of `depth` shows (Rapier handles, −1 where nothing is within far),
   * when `depth` is one of the last `keepObjects` images `render` made (compared by value, so a
   * copy of one is found too); else null.
   */
  objectsOf(depth: Float32Array): Float64Array | null {
    for (let i = this.objectMaps.length - 1; i >= 0; i--) {
      const map = this.objectMaps[i]!;
      if (sameValues(map.depth, depth)) return map.objects;
    }
    return null;
  }

  /** The buffers the next render's collider handles go into: a new pair, or the oldest kept. */
  private nextObjectMap(): ObjectMap {
    const n = this.width * this.height;
    const map = this.objectMaps.length < this.keepObjects ? { depth: new Float32Array(n), objects: new Float64Array(n) } : this.objectMaps.shift()!;
    // Not findable while it is being written.
    map.depth.fill(Number.NaN);
    this.objectMaps.push(map);
    return map;
  }
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
