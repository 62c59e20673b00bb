import type { Ray } from '@dimforge/rapier3d-compat';
import type { PhysicsWorld } from './PhysicsWorld.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';

/** A pinhole camera as the manifest gives it. */
export interface CameraIntrinsics {
  fovYDegrees: number;
  /** width / height */
  aspect: number;
  near: number;
  far: number;
}

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
  private readonly rays: Float32Array;
  private readonly ray: Ray;
  private readonly flags: number;

  constructor(physics: PhysicsWorld, options: ProxyDepthOptions) {
    const { width, height, camera } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`ProxyDepth: width and height must be positive integers, found ${width} × ${height}.`);
    }
    if (!(camera.far > camera.near && camera.near > 0)) throw new Error(`ProxyDepth: expected 0 < near < far, found near ${camera.near}, far ${camera.far}.`);
    this.physics = physics;
    this.width = width;
    this.height = height;
    this.camera = { ...camera };
    const { rapier } = physics;
    this.flags = options.filterFlags ?? rapier.QueryFilterFlags.EXCLUDE_DYNAMIC | rapier.QueryFilterFlags.EXCLUDE_KINEMATIC | rapier.QueryFilterFlags.EXCLUDE_SENSORS;
    this.ray = new rapier.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
    const tanY = Math.tan((camera.fovYDegrees * Math.PI) / 360);
    const tanX = tanY * camera.aspect;
    this.rays = new Float32Array(2 * width * height);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        const p = 2 * (j * width + i);
        this.rays[p] = (((i + 0.5) / width) * 2 - 1) * tanX;
        this.rays[p + 1] = (1 - ((j + 0.5) / height) * 2) * tanY;
      }
    }
  }

  /** Depth image for a camera pose, `width × height` metres, row-major, row 0 at the top. */
  render(pose: Readonly<Pose>, out: Float32Array = new Float32Array(this.width * this.height)): Float32Array {
    if (out.length !== this.width * this.height) throw new Error(`ProxyDepth: output must hold ${this.width * this.height} values, found ${out.length}.`);
    if (this.physics.isDisposed) throw new Error('ProxyDepth: the physics world was disposed; create ProxyDepth for a live world.');
    const started = performance.now();
    const { world } = this.physics;
    const { ray, rays, flags } = this;
    const far = this.camera.far;
    const sy = Math.sin(pose.yaw);
    const cy = Math.cos(pose.yaw);
    const sp = Math.sin(pose.pitch);
    const cp = Math.cos(pose.pitch);
    ray.origin.x = pose.x;
    ray.origin.y = pose.y;
    ray.origin.z = pose.z;
    const dir = ray.dir;
    for (let p = 0, n = out.length; p < n; p++) {
      const xc = rays[2 * p]!;
      const yc = rays[2 * p + 1]!;
      // Camera → world: pitch about x, then yaw about y (Three.js Euler order 'YXZ'); zc = −1.
      const y1 = yc * cp + sp;
      const z1 = yc * sp - cp;
      dir.x = xc * cy + z1 * sy;
      dir.y = y1;
      dir.z = -xc * sy + z1 * cy;
      // |dir| ≥ 1 and its view-space z is −1, so time of impact = view-space depth.
      const hit = world.castRay(ray, far, true, flags);
      out[p] = !hit || hit.timeOfImpact > far ? far : hit.timeOfImpact;
    }
    this.lastMs = performance.now() - started;
    return out;
  }
}
