import { NextframeError } from './errors.ts';

/** A camera pose: position in metres (+y up), yaw about +y, pitch about the camera's x axis (radians). */
export interface CameraPose {
  x: number;
  y: number;
  z: number;
  yaw: number;
  pitch: number;
}

/** The pinhole camera memory renders through: the model's resolution and the manifest's camera. */
export interface MemoryCamera {
  width: number;
  height: number;
  fovYDegrees: number;
  near: number;
  far: number;
}

export interface SpatialMemoryOptions {
  /** Keyframes kept. Default 48 (48 · 64 · 64 · 4 values ≈ 3 MB at 64 × 64). */
  capacity: number;
  /** The newest keyframes are never evicted. Default 4. */
  keepRecent: number;
  /** Two keyframes closer than this (metres) … */
  nearMetres: number;
  /** … and turned less than this (yaw and pitch, degrees) see the same view. */
  nearDegrees: number;
  /** A keyframe covers a pixel when its own depth there agrees within depthTolerance · d … */
  depthTolerance: number;
  /** … + depthSlack metres. */
  depthSlack: number;
}

export const DEFAULT_MEMORY_OPTIONS: Readonly<SpatialMemoryOptions> = Object.freeze({
  capacity: 48,
  keepRecent: 4,
  nearMetres: 1,
  nearDegrees: 20,
  depthTolerance: 0.05,
  depthSlack: 0.1,
});

interface Keyframe {
  /** 3·H·W, CHW, [−1, 1]. */
  frame: Float32Array;
  /** H·W metres of view-space depth. */
  depth: Float32Array;
  pose: CameraPose;
  tick: number;
}

const MAGIC = 0x4d464e; // "NFM" little-endian in the first bytes of toBytes()
const FORMAT_VERSION = 1;

/**
 * Spatial memory: what the world looked like, kept in world space and rendered into any camera,
 * so a place looks the same when the player comes back to it.
 *
 * The store is a set of surfel keyframes: every inserted frame keeps its pixels as surfels
 * (colour plus world position from the frame's proxy depth and camera pose). `render` lifts
 * each target pixel to its surface point with the target's proxy depth and looks it up in
 * the keyframes, newest first; a keyframe covers the pixel when the point projects inside it,
 * in front of it, and its own depth there agrees (for sky pixels, d ≥ far: it saw sky there
 * too). The colour is the keyframe's bilinear sample. Looking surfaces up this way is exact
 * when the camera has not moved and keeps texture sharp when it has (splatting a 0.1 m voxel
 * store lost ~6 dB against it on recorded arena episodes; see models/memory.py).
 *
 * Over `capacity` one keyframe is evicted: the oldest whose view a newer keyframe repeats
 * (within nearMetres and nearDegrees), never one of the newest `keepRecent`; if none
 * repeats, the oldest. Standing still or pacing one corridor costs no long-term places.
 *
 * models/memory.py is the same algorithm in Python (training makes the memory stream with
 * it); tests/worldmodel/SpatialMemory.parity.test.ts holds the two together.
 */
export class SpatialMemory {
  readonly camera: Readonly<MemoryCamera>;
  readonly options: Readonly<SpatialMemoryOptions>;
  /** Milliseconds the last insert / render took. */
  lastInsertMs = 0;
  lastRenderMs = 0;
  /** Share of the last render's pixels that memory covered, in [0, 1]. */
  lastCoverage = 0;
  private keyframes: Keyframe[] = [];
  private readonly xc: Float64Array;
  private readonly yc: Float64Array;
  private readonly tanX: number;
  private readonly tanY: number;
  // Render scratch: world points of the target pixels and which are still uncovered.
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly pz: Float64Array;
  private readonly todo: Int32Array;

  constructor(camera: MemoryCamera, options: Partial<SpatialMemoryOptions> = {}) {
    const { width, height, fovYDegrees, near, far } = camera;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new NextframeError('bad-memory', `SpatialMemory: width and height must be positive integers, found ${width} × ${height}.`);
    }
    if (!(fovYDegrees > 0 && fovYDegrees < 180) || !(far > near && near > 0)) {
      throw new NextframeError('bad-memory', `SpatialMemory: expected 0 < fovYDegrees < 180 and 0 < near < far, found fov ${fovYDegrees}, near ${near}, far ${far}.`);
    }
    const opts = { ...DEFAULT_MEMORY_OPTIONS, ...options };
    if (!Number.isInteger(opts.capacity) || !Number.isInteger(opts.keepRecent) || opts.keepRecent < 1 || opts.capacity < opts.keepRecent) {
      throw new NextframeError('bad-memory', `SpatialMemory: need integers capacity ≥ keepRecent ≥ 1, found capacity ${opts.capacity}, keepRecent ${opts.keepRecent}.`);
    }
    this.camera = Object.freeze({ width, height, fovYDegrees, near, far });
    this.options = Object.freeze(opts);
    this.tanY = Math.tan((fovYDegrees * Math.PI) / 360);
    this.tanX = (this.tanY * width) / height;
    const n = width * height;
    this.xc = new Float64Array(n);
    this.yc = new Float64Array(n);
    for (let j = 0; j < height; j++) {
      for (let i = 0; i < width; i++) {
        this.xc[j * width + i] = (((i + 0.5) / width) * 2 - 1) * this.tanX;
        this.yc[j * width + i] = (1 - ((j + 0.5) / height) * 2) * this.tanY;
      }
    }
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    this.pz = new Float64Array(n);
    this.todo = new Int32Array(n);
  }

  /** Keyframes held. */
  get size(): number {
    return this.keyframes.length;
  }

  /** Ticks of the keyframes held, oldest first. */
  get ticks(): number[] {
    return this.keyframes.map((k) => k.tick);
  }

  clear(): void {
    this.keyframes = [];
    this.lastCoverage = 0;
  }

  /**
   * Remember a frame seen from `pose`. `frame`: 3·H·W CHW in [−1, 1] (a model frame);
   * `depth`: H·W metres of proxy view-space depth for the same pose. Both are copied.
   */
  insert(frame: Float32Array, depth: Float32Array, pose: Readonly<CameraPose>, tick: number): void {
    const started = performance.now();
    const n = this.camera.width * this.camera.height;
    if (frame.length !== 3 * n) throw new NextframeError('bad-memory', `SpatialMemory.insert: frame must hold 3·H·W = ${3 * n} values (CHW in [−1, 1]), found ${frame.length}.`);
    if (depth.length !== n) throw new NextframeError('bad-memory', `SpatialMemory.insert: depth must hold H·W = ${n} values (metres), found ${depth.length}.`);
    checkPose(pose, 'SpatialMemory.insert');
    this.keyframes.push({
      frame: Float32Array.from(frame),
      depth: Float32Array.from(depth),
      pose: { x: Math.fround(pose.x), y: Math.fround(pose.y), z: Math.fround(pose.z), yaw: Math.fround(pose.yaw), pitch: Math.fround(pose.pitch) },
      tick,
    });
    if (this.keyframes.length > this.options.capacity) this.keyframes.splice(this.evictionVictim(), 1);
    this.lastInsertMs = performance.now() - started;
  }

  /** Index of the keyframe eviction would drop now (see the class comment). */
  evictionVictim(): number {
    const frames = this.keyframes;
    for (let a = 0; a < frames.length - this.options.keepRecent; a++) {
      for (let b = a + 1; b < frames.length; b++) if (this.repeats(frames[a]!.pose, frames[b]!.pose)) return a;
    }
    return 0;
  }

  private repeats(a: CameraPose, b: CameraPose): boolean {
    const dist = Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
    const turn = (Math.max(angleGap(a.yaw, b.yaw), Math.abs(a.pitch - b.pitch)) * 180) / Math.PI;
    return dist < this.options.nearMetres && turn < this.options.nearDegrees;
  }

  /**
   * The memory stream for a view: `out` (4·H·W) gets RGB in [−1, 1] (0 where uncovered) then
   * coverage in {0, 1}, the layout the model's `memory` input takes. `depth`: the view's proxy
   * depth, H·W metres (sky: ≥ far).
   */
  render(pose: Readonly<CameraPose>, depth: Float32Array, out: Float32Array = new Float32Array(4 * this.camera.width * this.camera.height)): Float32Array {
    const started = performance.now();
    const { width: w, height: h, near, far } = this.camera;
    const n = w * h;
    if (depth.length !== n) throw new NextframeError('bad-memory', `SpatialMemory.render: depth must hold H·W = ${n} values (metres), found ${depth.length}.`);
    if (out.length !== 4 * n) throw new NextframeError('bad-memory', `SpatialMemory.render: out must hold 4·H·W = ${4 * n} values, found ${out.length}.`);
    checkPose(pose, 'SpatialMemory.render');
    out.fill(0);
    const { px, py, pz, todo, xc, yc, tanX, tanY } = this;
    // Target pixels → world points (sky: at distance `far` along the ray).
    const t = trig(pose);
    let count = 0;
    for (let p = 0; p < n; p++) {
      const d = Math.min(depth[p]!, far);
      const x = xc[p]! * d;
      const y = yc[p]! * d;
      const z = -d;
      const y1 = y * t.cp - z * t.sp;
      const z1 = y * t.sp + z * t.cp;
      px[p] = t.x + x * t.cy + z1 * t.sy;
      py[p] = t.y + y1;
      pz[p] = t.z - x * t.sy + z1 * t.cy;
      if (d > near) todo[count++] = p;
    }
    const { depthTolerance, depthSlack } = this.options;
    for (let k = this.keyframes.length - 1; k >= 0 && count > 0; k--) {
      const key = this.keyframes[k]!;
      const kt = trig(key.pose);
      const kd = key.depth;
      const img = key.frame;
      let remaining = 0;
      for (let q = 0; q < count; q++) {
        const p = todo[q]!;
        const dx = px[p]! - kt.x;
        const dy = py[p]! - kt.y;
        const dz = pz[p]! - kt.z;
        const x = dx * kt.cy - dz * kt.sy;
        const z1 = dx * kt.sy + dz * kt.cy;
        const y = dy * kt.cp + z1 * kt.sp;
        const dk = -(-dy * kt.sp + z1 * kt.cp);
        let hit = false;
        if (dk > near) {
          const u = ((x / dk / tanX + 1) / 2) * w - 0.5;
          const v = ((1 - y / dk / tanY) / 2) * h - 0.5;
          if (u >= -0.5 && u < w - 0.5 && v >= -0.5 && v < h - 0.5) {
            const ni = clampIndex(Math.floor(u + 0.5), w);
            const nj = clampIndex(Math.floor(v + 0.5), h);
            const seen = kd[nj * w + ni]!;
            const targetSky = depth[p]! >= far;
            hit = targetSky ? seen >= far : Math.abs(seen - dk) <= depthTolerance * dk + depthSlack;
            if (hit) {
              const i0f = Math.floor(u);
              const j0f = Math.floor(v);
              const fx = u - i0f;
              const fy = v - j0f;
              const i0 = clampIndex(i0f, w);
              const i1 = clampIndex(i0f + 1, w);
              const j0 = clampIndex(j0f, h);
              const j1 = clampIndex(j0f + 1, h);
              const w00 = (1 - fx) * (1 - fy);
              const w01 = fx * (1 - fy);
              const w10 = (1 - fx) * fy;
              const w11 = fx * fy;
              for (let c = 0; c < 3; c++) {
                const o = c * n;
                out[o + p] = img[o + j0 * w + i0]! * w00 + img[o + j0 * w + i1]! * w01 + img[o + j1 * w + i0]! * w10 + img[o + j1 * w + i1]! * w11;
              }
              out[3 * n + p] = 1;
            }
          }
        }
        if (!hit) todo[remaining++] = p;
      }
      count = remaining;
    }
    let covered = 0;
    for (let p = 0; p < n; p++) covered += out[3 * n + p]!;
    this.lastCoverage = covered / n;
    this.lastRenderMs = performance.now() - started;
    return out;
  }

  /** Everything held, as bytes (restore with `SpatialMemory.fromBytes`). */
  toBytes(): Uint8Array {
    const { width: w, height: h } = this.camera;
    const n = w * h;
    const header = new Float64Array([MAGIC, FORMAT_VERSION, w, h, this.camera.fovYDegrees, this.camera.near, this.camera.far,
      this.options.capacity, this.options.keepRecent, this.options.nearMetres, this.options.nearDegrees,
      this.options.depthTolerance, this.options.depthSlack, this.keyframes.length]);
    const perKey = 6 + 4 * n; // pose (5) + tick, then frame (3n) and depth (n), as float32
    const body = new Float32Array(this.keyframes.length * perKey);
    const ticks = new Float64Array(this.keyframes.length);
    this.keyframes.forEach((key, i) => {
      const o = i * perKey;
      body.set([key.pose.x, key.pose.y, key.pose.z, key.pose.yaw, key.pose.pitch, 0], o);
      body.set(key.frame, o + 6);
      body.set(key.depth, o + 6 + 3 * n);
      ticks[i] = key.tick;
    });
    const bytes = new Uint8Array(header.byteLength + ticks.byteLength + body.byteLength);
    bytes.set(new Uint8Array(header.buffer), 0);
    bytes.set(new Uint8Array(ticks.buffer), header.byteLength);
    bytes.set(new Uint8Array(body.buffer), header.byteLength + ticks.byteLength);
    return bytes;
  }

  /** A memory saved by `toBytes`. */
  static fromBytes(bytes: Uint8Array): SpatialMemory {
    const fail = (why: string): never => {
      throw new NextframeError('bad-memory', `SpatialMemory.fromBytes: ${why}; expected bytes written by SpatialMemory.toBytes().`);
    };
    // Copies into fresh buffers: a Node Buffer's slice() shares memory (its .buffer is the whole pool).
    const copy = (from: number, to?: number): ArrayBuffer => new Uint8Array(bytes.subarray(from, to)).buffer;
    if (bytes.byteLength < 14 * 8) fail(`${bytes.byteLength} bytes is too short for the header`);
    const header = new Float64Array(copy(0, 14 * 8));
    if (header[0] !== MAGIC) fail('not a saved spatial memory (bad magic number)');
    if (header[1] !== FORMAT_VERSION) fail(`format version ${header[1]}, this build reads ${FORMAT_VERSION}`);
    const [, , w, h, fovYDegrees, near, far, capacity, keepRecent, nearMetres, nearDegrees, depthTolerance, depthSlack, count] = header as unknown as number[];
    const memory = new SpatialMemory({ width: w!, height: h!, fovYDegrees: fovYDegrees!, near: near!, far: far! },
      { capacity: capacity!, keepRecent: keepRecent!, nearMetres: nearMetres!, nearDegrees: nearDegrees!, depthTolerance: depthTolerance!, depthSlack: depthSlack! });
    const n = w! * h!;
    const perKey = 6 + 4 * n;
    const expected = 14 * 8 + count! * 8 + count! * perKey * 4;
    if (bytes.byteLength !== expected) fail(`${bytes.byteLength} bytes, the header promises ${expected} (${count} keyframes of ${w} × ${h})`);
    const ticks = new Float64Array(copy(14 * 8, 14 * 8 + count! * 8));
    const body = new Float32Array(copy(14 * 8 + count! * 8));
    for (let i = 0; i < count!; i++) {
      const o = i * perKey;
      memory.keyframes.push({
        pose: { x: body[o]!, y: body[o + 1]!, z: body[o + 2]!, yaw: body[o + 3]!, pitch: body[o + 4]! },
        frame: body.slice(o + 6, o + 6 + 3 * n),
        depth: body.slice(o + 6 + 3 * n, o + perKey),
        tick: ticks[i]!,
      });
    }
    return memory;
  }
}

/**
 * Camera-space point → pixel, the projection `render` uses: continuous pixel coordinates with
 * pixel centres at integers (u right, v down), and view depth d. Null behind the near plane.
 */
export function projectPoint(camera: Readonly<MemoryCamera>, pose: Readonly<CameraPose>, world: { x: number; y: number; z: number }): { u: number; v: number; depth: number } | null {
  const t = trig(pose);
  const tanY = Math.tan((camera.fovYDegrees * Math.PI) / 360);
  const tanX = (tanY * camera.width) / camera.height;
  const dx = world.x - t.x;
  const dy = world.y - t.y;
  const dz = world.z - t.z;
  const x = dx * t.cy - dz * t.sy;
  const z1 = dx * t.sy + dz * t.cy;
  const y = dy * t.cp + z1 * t.sp;
  const d = -(-dy * t.sp + z1 * t.cp);
  if (!(d > camera.near)) return null;
  return { u: ((x / d / tanX + 1) / 2) * camera.width - 0.5, v: ((1 - y / d / tanY) / 2) * camera.height - 0.5, depth: d };
}

function trig(pose: Readonly<CameraPose>): { x: number; y: number; z: number; sy: number; cy: number; sp: number; cp: number } {
  return { x: pose.x, y: pose.y, z: pose.z, sy: Math.sin(pose.yaw), cy: Math.cos(pose.yaw), sp: Math.sin(pose.pitch), cp: Math.cos(pose.pitch) };
}

function angleGap(a: number, b: number): number {
  const d = (((a - b) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  return Math.min(d, 2 * Math.PI - d);
}

function clampIndex(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}

function checkPose(pose: Readonly<CameraPose>, where: string): void {
  if (![pose.x, pose.y, pose.z, pose.yaw, pose.pitch].every(Number.isFinite)) {
    throw new NextframeError('bad-memory', `${where}: pose must have finite x, y, z, yaw, pitch, found ${JSON.stringify(pose)}.`);
  }
}
