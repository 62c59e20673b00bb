import { NextframeError } from './errors.ts';
import { frameToRgbBytes } from './frames.ts';
import { imagePlane, pixelRays, pixelU, pixelV, rayX, rayY, type ImagePlane, type PinholeCamera } from './geometry/PinholeCamera.ts';
import { angleGap, copyPose, type Pose, type XYZ } from './geometry/Pose.ts';
import { cameraDirectionToWorld, cameraToWorld, poseTransform, worldDirectionToCamera, worldToCamera, type PoseTransform } from './geometry/PoseTransform.ts';
import { projectPoints, type PointArrays, type Projections } from './geometry/projectPoints.ts';
import { anySky, SKY_BANDS, SkyColours, skyCore } from './SkyColours.ts';

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
  /** A painted frame's confidence where memory covered it: this × the confidence of what it was painted over. */
  paintedDecay: number;
  /** A painted frame's least confidence: where memory did not cover it (the model imagined it), or far down a chain of repaints. */
  paintedFresh: number;
  /** A keyframe up to this many times further from a surface than the view counts as full resolution there. */
  resolutionSlack: number;
  /**
   * Display frames kept beside the model frames, this many times larger per side (1: none).
   * Each keyframe may then hold its frame at display resolution too (`insert`'s `display`, kept as
   * uint8 RGB: 48 keyframes at 256 × 256 are 9.4 MB), and `renderDisplay` draws the view at that
   * resolution. The lookup (which keyframe shows each pixel) stays at model resolution.
   */
  displayScale: number;
  /**
   * With `objectsOf` set (the host knows which object each pixel shows): where the lookup's best
   * score is under this, a pixel of an object memory has real views of takes that object's mean
   * colour in them, as covered. A frame the model painted over nothing scores paintedFresh (0.5),
   * so an object's real colour outranks the model's own first guess at a side no real view held,
   * while real views (1) and what was painted over them (0.9, down to 0.5) keep their place.
   * The sky's colour by elevation (`SkyColours`, from depth alone) fills sky pixels under the same
   * score. 0: off (objects and sky).
   */
  objectPrior: number;
}

export const DEFAULT_MEMORY_OPTIONS: Readonly<SpatialMemoryOptions> = Object.freeze({
  capacity: 48,
  keepRecent: 4,
  nearMetres: 1,
  nearDegrees: 20,
  depthTolerance: 0.05,
  depthSlack: 0.1,
  paintedDecay: 0.9,
  paintedFresh: 0.5,
  resolutionSlack: 1.25,
  displayScale: 1,
  objectPrior: 0.55,
});

/** Which object each pixel of a view shows (H·W ids, −1: none), given the view's proxy depth; null when not known. `ProxyDepth.objectsOf` is one. */
export type ObjectSource = (depth: Float32Array) => Float64Array | null;

interface Keyframe {
  /** 3·H·W, CHW, [−1, 1]. */
  frame: Float32Array;
  /** H·W metres of view-space depth. */
  depth: Float32Array;
  pose: Pose;
  tick: number;
  /** H·W confidence per pixel in [0, 1]; null: 1 everywhere (a real frame). */
  confidence: Float32Array | null;
  /** The frame at display resolution: uint8 RGB, HWC (as display.npy stores it), row 0 at the top; null: none given (the model frame stands in). */
  display: Uint8Array | null;
  /** The mean of `confidence`, kept by `meanConfidence` once asked (eviction asks for every keyframe at every insert). */
  meanConfidence?: number;
  /** The highest of `confidence`, kept by `maxConfidence` once asked (every lookup asks). */
  maxConfidence?: number;
  /** `skyCore` of `depth`, and 1 wherever `depth` is sky (`anySky`), kept once a lookup of sky asks. */
  skyCore?: Uint8Array;
  anySky?: Uint8Array;
}

export interface InsertOptions {
  /**
   * The frame was painted by the model, not seen: its pixels get a confidence below that of
   * what it was painted over (paintedDecay ×), at least paintedFresh.
   */
  painted?: boolean;
  /**
   * The same frame at display resolution (memory's `displayScale` × the model's size per side):
   * uint8 RGB HWC with row 0 at the top (a recorded `display.npy` frame), or float32 CHW in
   * [−1, 1] (a frame the plug-in showed). Kept as uint8 for `renderDisplay`.
   */
  display?: Uint8Array | Float32Array;
}

const MAGIC = 0x4d464e; // "NFM" little-endian in the first bytes of toBytes()
// 4: the header ends with objectPrior and the sky's colours follow the display frames. 3 (without
// either) still reads: objectPrior takes its default and the real keyframes kept teach the sky again.
const FORMAT_VERSION = 4;
const FORMAT_WITHOUT_SKY = 3;
const SKY_VALUES = 4 * SKY_BANDS;
/** Header values of format 4; format 3's header ends before objectPrior, the last of them. */
const HEADER_VALUES = 19;
const HEADER_VALUES_WITHOUT_SKY = HEADER_VALUES - 1;
// The keyframe cull (mayCover): pixels sampled, and how far outside a keyframe's image (in
// pixels) a sample may land and still count as overlap.
const CULL_SAMPLES = 256;
const CULL_MARGIN = 8;

// Scratch for the per-pixel lift (no allocation per render).
const _point: XYZ = { x: 0, y: 0, z: 0 };
const _col: XYZ = { x: 0, y: 0, z: 0 };

/** What the fourth channel of a display memory render holds: `coverage` {0, 1}, or `confidence` (see `renderDisplay`). */
export type MemoryChannel = 'coverage' | 'confidence';

/**
 * Spatial memory: what the world looked like, kept in world space and rendered into any camera,
 * so a place looks the same when the player comes back to it.
 *
 * The store is a set of surfel keyframes: every inserted frame keeps its pixels as surfels
 * (colour plus world position from the frame's proxy depth and camera pose). `render` lifts
 * each target pixel to its surface point with the target's proxy depth and looks it up in
 * the keyframes; a keyframe covers the pixel when the point projects inside it, in front of
 * it, and its own depth there agrees (for sky pixels, d ≥ far: it saw sky there too, and sky
 * away from any surface for a view's sky away from any surface, `skyCore`). Of the
 * keyframes that cover a pixel the one with the best score wins, newest first on ties: score =
 * its confidence there × its resolution (1 up to resolutionSlack times the view's distance
 * from the surface, falling off beyond). The colour is the keyframe's bilinear sample.
 *
 * Confidence is what keeps a place from blurring away: real frames (reset, recordings) have
 * confidence 1; a frame the model painted gets paintedDecay × the score of the memory it was
 * painted over, but at least paintedFresh (also where memory had nothing). So a repainted view
 * never outranks the real view it was painted from, and a return to a place shows the
 * sharpest source of it still held instead of the latest copy of a copy (newest-first lookup
 * compounds the model's blur on every pass, and evicting the oldest repeat drops the real
 * frames first). The floor keeps what the model imagined newest first, so it still sharpens
 * over passes (without it, rollout detail at tick 64 fell from 0.66 to 0.35 of the truth's).
 * With only real frames every confidence is 1 and the lookup is newest first. Looking surfaces up this way is exact
 * when the camera has not moved and keeps texture sharp when it has (splatting a 0.1 m voxel
 * store lost ~6 dB against it on recorded arena episodes; see models/memory.py).
 *
 * Over `capacity` one keyframe is evicted: the oldest whose view a newer keyframe repeats
 * (within nearMetres and nearDegrees), never one of the newest `keepRecent`; if none
 * repeats, the oldest. Standing still or pacing one corridor costs no long-term places.
 *
 * Object colours: when the host says which object each pixel shows (`objectsOf`, the collider
 * behind the proxy depth), memory keeps each object's mean colour in the real frames inserted, and
 * `render` gives it to the pixels of that object that score under `objectPrior` (nothing covers
 * them, or only the model's first guess does). So the side of a pillar no real view held comes out
 * the pillar's colour instead of the floor behind it (the README walk: the pillar held in 93 % of
 * its frames, against 49–65 % without). Recordings hold no objects, so training, `eval-fidelity`
 * and models/memory.py never use them; `toBytes` does not keep them.
 *
 * Sky colours: the sky (pixels whose proxy depth reaches far) is coloured the same way from depth
 * alone, by its mean colour per degree of elevation in the real frames (`SkyColours`): a view
 * turning to sky no real view held shows the game's background or sky gradient instead of the
 * last frame's pixels there. models/memory.py does it too, so training sees it; `fromBytes`
 * keeps it (format 4; a format-3 memory learns it again from the real keyframes kept).
 *
 * models/memory.py is the same algorithm in Python (training makes the memory stream with
 * it); tests/worldmodel/SpatialMemory.parity.test.ts holds the two together.
 */
export class SpatialMemory {
  readonly camera: Readonly<PinholeCamera>;
  readonly options: Readonly<SpatialMemoryOptions>;
  /** Milliseconds the last insert / render took. */
  lastInsertMs = 0;
  lastRenderMs = 0;
  /** Share of the last render's pixels that memory covered, in [0, 1]. */
  lastCoverage = 0;
  /** Milliseconds the last `renderDisplay` took, and the share of its pixels covered. */
  lastDisplayRenderMs = 0;
  lastDisplayCoverage = 0;
  /**
   * Where the objects of a view come from (see `objectPrior`): the host's proxy depth, which knows
   * the collider behind each pixel (`ProxyDepth.objectsOf` with `keepObjects`). Null: none.
   */
  objectsOf: ObjectSource | null = null;
  /** Per object id, the sums of R, G, B and the pixel count of it in the real frames inserted. */
  private readonly objectColours = new Map<number, Float64Array>();
  private readonly sky: SkyColours;
  private keyframes: Keyframe[] = [];
  private readonly plane: ImagePlane;
  /** Per pixel, the camera-space ray (xc, yc, −1) through its centre. */
  private readonly xc: Float64Array;
  private readonly yc: Float64Array;
  // Render scratch: world points of the target pixels, which are still uncovered, and where
  // the uncovered ones land in the keyframe searched.
  private readonly points: PointArrays;
  private readonly todo: Int32Array;
  private readonly projected: Projections;
  private readonly best: Float32Array;
  /** The view's `skyCore` in the last lookup. */
  private readonly targetCore: Uint8Array;
  /** Per pixel, the index of the keyframe `best` came from (−1: none). */
  private readonly bestKey: Int32Array;
  // Display resolution: its image plane and the camera-space rays of its columns and rows.
  private readonly displayPlane: ImagePlane;
  /** The keyframe evicted last: its buffers (no one else holds them) take the next insert's copies. */
  private spare: Keyframe | null = null;
  private readonly xd: Float64Array;
  private readonly yd: Float64Array;
  /** renderDisplay's view → keyframe maps (12 per keyframe; capacity + 1 are held between an insert and its eviction). */
  private readonly maps: Float64Array;
  // What `best` was last computed for: an insert at the view just rendered (every model step)
  // reuses it instead of searching the keyframes again.
  private bestValid = false;
  private readonly bestPose: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  private readonly bestDepth: Float32Array;

  constructor(camera: PinholeCamera, options: Partial<SpatialMemoryOptions> = {}) {
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
    if (!(opts.objectPrior >= 0 && opts.objectPrior <= 1)) {
      throw new NextframeError('bad-memory', `SpatialMemory: objectPrior must be a score in [0, 1] (0: off), found ${opts.objectPrior}.`);
    }
    if (!Number.isInteger(opts.displayScale) || opts.displayScale < 1 || opts.displayScale > 16) {
      throw new NextframeError('bad-memory', `SpatialMemory: displayScale must be an integer from 1 (no display frames) to 16, found ${opts.displayScale}.`);
    }
    this.camera = Object.freeze({ width, height, fovYDegrees, near, far });
    this.options = Object.freeze(opts);
    // The pixel grid sets the aspect (a manifest's `aspect` riding along in `camera` is not read).
    this.plane = imagePlane(width, height, fovYDegrees);
    const n = width * height;
    this.xc = new Float64Array(n);
    this.yc = new Float64Array(n);
    pixelRays(this.plane, this.xc, this.yc);
    this.sky = new SkyColours(this.xc, this.yc, width, far);
    this.points = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
    this.todo = new Int32Array(n);
    this.projected = { slot: new Int32Array(n), u: new Float64Array(n), v: new Float64Array(n), depth: new Float64Array(n) };
    this.best = new Float32Array(n);
    this.bestKey = new Int32Array(n);
    this.targetCore = new Uint8Array(n);
    this.bestDepth = new Float32Array(n);
    const s = opts.displayScale;
    this.displayPlane = imagePlane(width * s, height * s, fovYDegrees);
    this.xd = new Float64Array(width * s);
    this.yd = new Float64Array(height * s);
    this.maps = new Float64Array(12 * (opts.capacity + 1));
    for (let i = 0; i < width * s; i++) this.xd[i] = rayX(i + 0.5, width * s, this.displayPlane.tanX);
    for (let j = 0; j < height * s; j++) this.yd[j] = rayY(j + 0.5, height * s, this.displayPlane.tanY);
  }

  /** Display frame size: the model's × displayScale per side. */
  get displaySize(): { width: number; height: number } {
    return { width: this.displayPlane.width, height: this.displayPlane.height };
  }

  /** Keyframes held. */
  get size(): number {
    return this.keyframes.length;
  }

  /** Poses of the keyframes held, oldest first (copies). */
  get poses(): Pose[] {
    return this.keyframes.map((k) => ({ ...k.pose }));
  }

  /** Ticks of the keyframes held, oldest first. */
  get ticks(): number[] {
    return this.keyframes.map((k) => k.tick);
  }

  clear(): void {
    this.keyframes = [];
    this.objectColours.clear();
    this.sky.clear();
    this.bestValid = false;
    this.lastCoverage = 0;
  }

  /**
   * Remember a frame seen from `pose`. `frame`: 3·H·W CHW in [−1, 1] (a model frame);
   * `depth`: H·W metres of proxy view-space depth for the same pose. Both are copied. Frames
   * the model painted: `{ painted: true }` (see the class comment on confidence).
   */
  insert(frame: Float32Array, depth: Float32Array, pose: Readonly<Pose>, tick: number, options: InsertOptions = {}): void {
    const started = performance.now();
    const n = this.camera.width * this.camera.height;
    if (frame.length !== 3 * n) throw new NextframeError('bad-memory', `SpatialMemory.insert: frame must hold 3·H·W = ${3 * n} values (CHW in [−1, 1]), found ${frame.length}.`);
    if (depth.length !== n) throw new NextframeError('bad-memory', `SpatialMemory.insert: depth must hold H·W = ${n} values (metres), found ${depth.length}.`);
    checkPose(pose, 'SpatialMemory.insert');
    // The buffers of the keyframe evicted last take this one's copies: a full memory then inserts
    // without allocating (at 256² display frames, ~260 KB a tick otherwise left to the GC).
    const spare = this.spare;
    this.spare = null;
    let confidence: Float32Array | null = null;
    if (options.painted) {
      if (!this.bestIsFor(pose, depth)) this.lookup(pose, depth, null);
      confidence = spare?.confidence ?? new Float32Array(n);
      // float32 arithmetic throughout, as models/memory.py does it (parity down to the last bit).
      const decay = Math.fround(this.options.paintedDecay);
      const fresh = this.options.paintedFresh;
      for (let p = 0; p < n; p++) confidence[p] = Math.max(decay * this.best[p]!, fresh);
    }
    const display = options.display === undefined ? null : this.displayBytes(options.display, spare?.display ?? null);
    this.keyframes.push({
      display,
      frame: spare ? copyInto(spare.frame, frame) : frame.slice(),
      depth: spare ? copyInto(spare.depth, depth) : depth.slice(),
      pose: { x: Math.fround(pose.x), y: Math.fround(pose.y), z: Math.fround(pose.z), yaw: Math.fround(pose.yaw), pitch: Math.fround(pose.pitch) },
      tick,
      confidence,
    });
    if (!options.painted) {
      this.learnObjects(frame, depth);
      if (this.options.objectPrior > 0) this.sky.learn(frame, depth, pose);
    }
    this.bestValid = false;
    if (this.keyframes.length > this.options.capacity) this.spare = this.keyframes.splice(this.evictionVictim(), 1)[0]!;
    this.lastInsertMs = performance.now() - started;
  }

  /** `insert`'s display frame, checked, as uint8 RGB HWC (a copy). */
  private displayBytes(display: Uint8Array | Float32Array, reuse: Uint8Array | null): Uint8Array {
    const { width: wd, height: hd } = this.displayPlane;
    const size = 3 * wd * hd;
    if (this.options.displayScale === 1) {
      throw new NextframeError('bad-memory', 'SpatialMemory.insert: a display frame was given, but this memory keeps none (displayScale 1); construct it with { displayScale: 4 } for display frames 4× the model\'s size.');
    }
    if (display.length !== size) {
      throw new NextframeError('bad-memory', `SpatialMemory.insert: display must hold 3·${hd}·${wd} = ${size} values (${this.options.displayScale}× the model's ${this.camera.width} × ${this.camera.height}), found ${display.length}.`);
    }
    const out = reuse ?? new Uint8Array(size);
    if (display instanceof Uint8Array) {
      out.set(display);
      return out;
    }
    return frameToRgbBytes(display, out);
  }

  /** A real frame's colours, added to the objects its pixels show (when `objectsOf` knows them). */
  private learnObjects(frame: Float32Array, depth: Float32Array): void {
    const objects = this.options.objectPrior > 0 ? this.objectsOf?.(depth) : null;
    if (!objects) return;
    const n = this.camera.width * this.camera.height;
    for (let p = 0; p < n; p++) {
      const id = objects[p]!;
      if (id < 0) continue;
      let sums = this.objectColours.get(id);
      if (!sums) this.objectColours.set(id, (sums = new Float64Array(4)));
      sums[0]! += frame[p]!;
      sums[1]! += frame[n + p]!;
      sums[2]! += frame[2 * n + p]!;
      sums[3]! += 1;
    }
  }

  /** `render`'s object prior: pixels scoring under `objectPrior` whose object has real colours take their mean, as covered. */
  private paintObjects(depth: Float32Array, out: Float32Array): void {
    const prior = this.options.objectPrior;
    if (prior === 0 || this.objectColours.size === 0) return;
    const objects = this.objectsOf?.(depth);
    if (!objects) return;
    const n = this.camera.width * this.camera.height;
    for (let p = 0; p < n; p++) {
      if (this.best[p]! >= prior || objects[p]! < 0) continue;
      const sums = this.objectColours.get(objects[p]!);
      if (!sums) continue;
      out[p] = sums[0]! / sums[3]!;
      out[n + p] = sums[1]! / sums[3]!;
      out[2 * n + p] = sums[2]! / sums[3]!;
      out[3 * n + p] = 1;
    }
  }

  /**
   * Index of the keyframe eviction would drop now (see the class comment): of the keyframes
   * outside the newest keepRecent, those whose view another keyframe repeats go first, the
   * least confident of them, the oldest on ties; if none repeats, the least confident, oldest
   * on ties. With only real frames (confidence 1) that is the oldest repeated view, else the
   * oldest.
   */
  evictionVictim(): number {
    const frames = this.keyframes;
    const candidates = frames.length - this.options.keepRecent;
    let victim = -1;
    let victimConfidence = Infinity;
    for (let a = 0; a < candidates; a++) {
      let repeated = false;
      for (let b = 0; b < frames.length && !repeated; b++) repeated = b !== a && this.repeats(frames[a]!.pose, frames[b]!.pose);
      if (!repeated) continue;
      const c = meanConfidence(frames[a]!);
      if (c < victimConfidence) {
        victim = a;
        victimConfidence = c;
      }
    }
    if (victim >= 0) return victim;
    victim = 0;
    for (let a = 1; a < candidates; a++) if (meanConfidence(frames[a]!) < meanConfidence(frames[victim]!)) victim = a;
    return victim;
  }

  private repeats(a: Pose, b: Pose): boolean {
    const dist = Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
    const turn = (Math.max(angleGap(a.yaw, b.yaw), Math.abs(a.pitch - b.pitch)) * 180) / Math.PI;
    return dist < this.options.nearMetres && turn < this.options.nearDegrees;
  }

  /**
   * The memory stream for a view: `out` (4·H·W) gets RGB in [−1, 1] (0 where uncovered) then
   * coverage in {0, 1}, the layout the model's `memory` input takes. `depth`: the view's proxy
   * depth, H·W metres (sky: ≥ far).
   */
  render(pose: Readonly<Pose>, depth: Float32Array, out: Float32Array = new Float32Array(4 * this.camera.width * this.camera.height)): Float32Array {
    const started = performance.now();
    const n = this.camera.width * this.camera.height;
    if (depth.length !== n) throw new NextframeError('bad-memory', `SpatialMemory.render: depth must hold H·W = ${n} values (metres), found ${depth.length}.`);
    if (out.length !== 4 * n) throw new NextframeError('bad-memory', `SpatialMemory.render: out must hold 4·H·W = ${4 * n} values, found ${out.length}.`);
    checkPose(pose, 'SpatialMemory.render');
    out.fill(0);
    this.lookup(pose, depth, out);
    let covered = 0;
    for (let p = 0; p < n; p++) {
      const hit = this.best[p]! > 0 ? 1 : 0;
      out[3 * n + p] = hit;
      covered += hit;
    }
    this.lastCoverage = covered / n;
    this.paintObjects(depth, out);
    const prior = this.options.objectPrior;
    if (prior > 0) this.sky.paint(depth, pose, out, (p) => this.best[p]! < prior);
    this.lastRenderMs = performance.now() - started;
    return out;
  }

  /**
   * The view at display resolution (`displayScale` × the model's size per side): `out`
   * (4·Hd·Wd) gets RGB in [−1, 1] (0 where uncovered) then coverage in {0, 1}, the layout of
   * `render`. `depth` is the view's proxy depth at model resolution (H·W metres), as `render`
   * takes it. With `channel` `confidence` the fourth channel is instead the score the lookup
   * chose the pixel's keyframe by (its confidence there × its resolution, in (0, 1]: 1 for a real
   * frame seen from as close, less for what the model painted; 0 uncovered), so a display
   * upsampler can tell a remembered real view from a remembered painted one.
   *
   * Which keyframe shows a pixel is decided at model resolution (the lookup `render` does, reused
   * when `render` just ran for this view): each display pixel takes the keyframe of the model
   * pixel it lies in. Its surface point comes from the proxy depth upsampled bilinearly (nearest
   * across a depth edge, where blending two surfaces would invent a point between them), lifted
   * along the display pixel's own ray and projected into that keyframe, whose display frame is
   * sampled bilinearly there (its model frame when it has no display frame). So a keyframe seen
   * at display resolution stays sharp in every view, for ~1/16 of a lookup per pixel.
   */
  renderDisplay(pose: Readonly<Pose>, depth: Float32Array, out?: Float32Array, channel: MemoryChannel = 'coverage'): Float32Array {
    const started = performance.now();
    const { width: w, height: h, near, far } = this.camera;
    const n = w * h;
    const s = this.options.displayScale;
    const { width: wd, height: hd, tanX, tanY } = this.displayPlane;
    const nd = wd * hd;
    out ??= new Float32Array(4 * nd);
    if (depth.length !== n) throw new NextframeError('bad-memory', `SpatialMemory.renderDisplay: depth must hold H·W = ${n} values (metres, at model resolution), found ${depth.length}.`);
    if (out.length !== 4 * nd) throw new NextframeError('bad-memory', `SpatialMemory.renderDisplay: out must hold 4·${hd}·${wd} = ${4 * nd} values, found ${out.length}.`);
    checkPose(pose, 'SpatialMemory.renderDisplay');
    if (!this.bestIsFor(pose, depth)) this.lookup(pose, depth, null);
    out.fill(0);
    const { bestKey, xd, yd } = this;
    const keys = this.keyframes;
    // Per keyframe, the rigid map from this view's camera space to the keyframe's (rows of a 3×4
    // matrix): one multiply per display pixel instead of a trip through world space.
    const maps = viewToKeyframeMaps(pose, keys, this.maps);
    const { depthTolerance, depthSlack } = this.options;
    // pixelU/pixelV at display and model resolution, as u = x/d·ax + bx, v = −y/d·ay + by.
    const axD = wd / (2 * tanX);
    const bxD = wd / 2 - 0.5;
    const ayD = hd / (2 * tanY);
    const byD = hd / 2 - 0.5;
    const axM = w / (2 * this.plane.tanX);
    const bxM = w / 2 - 0.5;
    const ayM = h / (2 * this.plane.tanY);
    const byM = h / 2 - 0.5;
    const m = w * h;
    let covered = 0;
    // Block by block: the s × s display pixels of a model pixel share its keyframe.
    for (let jn = 0; jn < h; jn++) {
      for (let inn = 0; inn < w; inn++) {
        const p = jn * w + inn;
        const k = bestKey[p]!;
        if (k < 0) continue;
        const mark = channel === 'confidence' ? this.best[p]! : 1;
        const key = keys[k]!;
        const img = key.display;
        const f = key.frame;
        const o = 12 * k;
        const m0 = maps[o]!, m1 = maps[o + 1]!, m2 = maps[o + 2]!, m3 = maps[o + 3]!;
        const m4 = maps[o + 4]!, m5 = maps[o + 5]!, m6 = maps[o + 6]!, m7 = maps[o + 7]!;
        const m8 = maps[o + 8]!, m9 = maps[o + 9]!, m10 = maps[o + 10]!, m11 = maps[o + 11]!;
        const dp = depth[p]! > far ? far : depth[p]!;
        for (let Y = jn * s; Y < (jn + 1) * s; Y++) {
          // Model-resolution rows around this display row's centre, and the weight of the lower one.
          const fy = (Y + 0.5) / s - 0.5;
          const fj = Math.floor(fy);
          const j0 = fj < 0 ? 0 : fj;
          const j1 = fj + 1 >= h ? h - 1 : fj + 1;
          const wy = fy - fj;
          const ry = yd[Y]!;
          for (let X = inn * s; X < (inn + 1) * s; X++) {
            const fx = (X + 0.5) / s - 0.5;
            const fi = Math.floor(fx);
            const i0 = fi < 0 ? 0 : fi;
            const i1 = fi + 1 >= w ? w - 1 : fi + 1;
            const wx = fx - fi;
            let d00 = depth[j0 * w + i0]!;
            let d01 = depth[j0 * w + i1]!;
            let d10 = depth[j1 * w + i0]!;
            let d11 = depth[j1 * w + i1]!;
            if (d00 > far) d00 = far;
            if (d01 > far) d01 = far;
            if (d10 > far) d10 = far;
            if (d11 > far) d11 = far;
            const lo = Math.min(Math.min(d00, d01), Math.min(d10, d11));
            const hi = Math.max(Math.max(d00, d01), Math.max(d10, d11));
            // Bilinear on one surface; across a depth edge the pixel's own model depth (blending two
            // surfaces would invent a point between them).
            const d = hi - lo <= depthTolerance * lo + depthSlack ? (d00 * (1 - wx) + d01 * wx) * (1 - wy) + (d10 * (1 - wx) + d11 * wx) * wy : dp;
            if (!(d > near)) continue;
            const cx = xd[X]! * d;
            const cy = ry * d;
            const kx = m0 * cx + m1 * cy - m2 * d + m3;
            const ky = m4 * cx + m5 * cy - m6 * d + m7;
            const dk = -(m8 * cx + m9 * cy - m10 * d + m11);
            if (!(dk > near)) continue;
            const q = Y * wd + X;
            if (img) {
              // Bilinear, edges clamped, uint8 HWC.
              const u = (kx / dk) * axD + bxD;
              const v = (-ky / dk) * ayD + byD;
              const iu = Math.floor(u);
              const jv = Math.floor(v);
              const gx = u - iu;
              const gy = v - jv;
              const a0 = iu < 0 ? 0 : iu >= wd ? wd - 1 : iu;
              const a1 = iu + 1 < 0 ? 0 : iu + 1 >= wd ? wd - 1 : iu + 1;
              const r0 = (jv < 0 ? 0 : jv >= hd ? hd - 1 : jv) * wd;
              const r1 = (jv + 1 < 0 ? 0 : jv + 1 >= hd ? hd - 1 : jv + 1) * wd;
              const w00 = (1 - gx) * (1 - gy);
              const w01 = gx * (1 - gy);
              const w10 = (1 - gx) * gy;
              const w11 = gx * gy;
              const p00 = 3 * (r0 + a0);
              const p01 = 3 * (r0 + a1);
              const p10 = 3 * (r1 + a0);
              const p11 = 3 * (r1 + a1);
              out[q] = (img[p00]! * w00 + img[p01]! * w01 + img[p10]! * w10 + img[p11]! * w11) / 127.5 - 1;
              out[nd + q] = (img[p00 + 1]! * w00 + img[p01 + 1]! * w01 + img[p10 + 1]! * w10 + img[p11 + 1]! * w11) / 127.5 - 1;
              out[2 * nd + q] = (img[p00 + 2]! * w00 + img[p01 + 2]! * w01 + img[p10 + 2]! * w10 + img[p11 + 2]! * w11) / 127.5 - 1;
            } else {
              const u = (kx / dk) * axM + bxM;
              const v = (-ky / dk) * ayM + byM;
              const iu = Math.floor(u);
              const jv = Math.floor(v);
              const gx = u - iu;
              const gy = v - jv;
              const a0 = iu < 0 ? 0 : iu >= w ? w - 1 : iu;
              const a1 = iu + 1 < 0 ? 0 : iu + 1 >= w ? w - 1 : iu + 1;
              const r0 = (jv < 0 ? 0 : jv >= h ? h - 1 : jv) * w;
              const r1 = (jv + 1 < 0 ? 0 : jv + 1 >= h ? h - 1 : jv + 1) * w;
              for (let c = 0; c < 3; c++) {
                const oc = c * m;
                out[c * nd + q] = (f[oc + r0 + a0]! * (1 - gx) + f[oc + r0 + a1]! * gx) * (1 - gy) + (f[oc + r1 + a0]! * (1 - gx) + f[oc + r1 + a1]! * gx) * gy;
              }
            }
            out[3 * nd + q] = mark;
            covered++;
          }
        }
      }
    }
    this.lastDisplayCoverage = covered / nd;
    this.lastDisplayRenderMs = performance.now() - started;
    return out;
  }

  /**
   * The best-scoring keyframe of each pixel of a view: `best` gets its score (0: none covers
   * the pixel); `out`, when given, gets its bilinear colour (channels 0–2, CHW).
   */
  private lookup(pose: Readonly<Pose>, depth: Float32Array, out: Float32Array | null): void {
    const { width: w, height: h, near, far } = this.camera;
    const n = w * h;
    const { todo, best, bestKey, xc, yc, projected } = this;
    const targetCore = skyCore(depth, w, h, far, this.targetCore);
    const { x: px, y: py, z: pz } = this.points;
    const { slot, u: pu, v: pv, depth: pd } = projected;
    best.fill(0);
    bestKey.fill(-1);
    this.bestValid = true;
    copyPose(pose, this.bestPose);
    this.bestDepth.set(depth);
    // Target pixels → world points (sky: at distance `far` along the ray).
    const view = poseTransform(pose);
    const point = _point;
    let count = 0;
    for (let p = 0; p < n; p++) {
      const d = Math.min(depth[p]!, far);
      cameraToWorld(view, xc[p]! * d, yc[p]! * d, -d, point);
      px[p] = point.x;
      py[p] = point.y;
      pz[p] = point.z;
      if (d > near) todo[count++] = p;
    }
    const { depthTolerance, depthSlack, resolutionSlack } = this.options;
    // Newest first; a pixel leaves the search once a keyframe scores 1 there (nothing older can beat it).
    for (let k = this.keyframes.length - 1; k >= 0 && count > 0; k--) {
      const key = this.keyframes[k]!;
      const kt = poseTransform(key.pose);
      if (!this.mayCover(kt, count)) continue;
      const kd = key.depth;
      const img = key.frame;
      const conf = key.confidence;
      // Where the pixels still searched land in this keyframe's image (packed, in search order).
      // A painted keyframe scores at most its highest confidence (resolution ≤ 1): pixels that
      // already have that much are not projected into it. Results are the same as searching them
      // (a tie keeps the newer keyframe); in the arena bench it cut the projections a tick that
      // land in a keyframe from 183k to 140k.
      const limit = maxConfidence(key);
      const hits = projectPoints(this.plane, near, kt, this.points, todo, count, projected, limit < 1 ? { score: best, limit } : undefined);
      if (hits === 0) continue;
      // Every pixel searched has best < 1; only the hits can change that, so the rest stay.
      let remaining = 0;
      let q = 0;
      for (let i = 0; i < hits; i++) {
        const hitQ = slot[i]!;
        while (q < hitQ) todo[remaining++] = todo[q++]!;
        const p = todo[q++]!;
        const u = pu[i]!;
        const v = pv[i]!;
        const dk = pd[i]!;
        const ni = clampIndex(Math.floor(u + 0.5), w);
        const nj = clampIndex(Math.floor(v + 0.5), h);
        const seen = kd[nj * w + ni]!;
        const targetSky = depth[p]! >= far;
        // Sky away from any surface in this view (targetCore) is looked up only where the
        // keyframe saw sky away from any surface: its silhouettes' edge pixels hold part of the
        // surface's colour, and past a floor's edge that has moved with the player they are not sky.
        // Which of the keyframe's pixels are sky as this one is: sky away from any surface for a
        // pixel that is, any sky for a silhouette's edge pixel (null: not sky).
        const skyAs = targetSky ? (targetCore[p] ? (key.skyCore ??= skyCore(kd, w, h, far)) : (key.anySky ??= anySky(kd, far))) : null;
        const hit = skyAs ? skyAs[nj * w + ni] === 1 : Math.abs(seen - dk) <= depthTolerance * dk + depthSlack;
        if (hit) {
          const resolution = targetSky ? 1 : Math.min(1, (resolutionSlack * Math.min(depth[p]!, far)) / dk);
          const score = Math.fround((conf ? conf[nj * w + ni]! : 1) * resolution);
          if (score > best[p]!) {
            best[p] = score;
            bestKey[p] = k;
            if (out) {
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
              if (skyAs) {
                // Sky from the taps that are sky as this pixel is, their weights renormalised;
                // the nearest tap is one of them.
                const v00 = w00 * skyAs[j0 * w + i0]!;
                const v01 = w01 * skyAs[j0 * w + i1]!;
                const v10 = w10 * skyAs[j1 * w + i0]!;
                const v11 = w11 * skyAs[j1 * w + i1]!;
                const sum = v00 + v01 + v10 + v11;
                for (let c = 0; c < 3; c++) {
                  const o = c * n;
                  out[o + p] = (img[o + j0 * w + i0]! * v00 + img[o + j0 * w + i1]! * v01 + img[o + j1 * w + i0]! * v10 + img[o + j1 * w + i1]! * v11) / sum;
                }
              } else {
                for (let c = 0; c < 3; c++) {
                  const o = c * n;
                  out[o + p] = img[o + j0 * w + i0]! * w00 + img[o + j0 * w + i1]! * w01 + img[o + j1 * w + i0]! * w10 + img[o + j1 * w + i1]! * w11;
                }
              }
            }
          }
        }
        if (best[p]! < 1) todo[remaining++] = p;
      }
      while (q < count) todo[remaining++] = todo[q++]!;
      count = remaining;
    }
  }

  /**
   * Cull before the per-pixel search: could this keyframe cover any of the `count` pixels still
   * searched? Tests every CULL_SAMPLES-th of them (in order) and says yes when one projects in
   * front of the keyframe and within CULL_MARGIN pixels of its image. Keyframes looking
   * elsewhere cost ~1/CULL_SAMPLES of a search (painted frames keep most pixels searching all
   * keyframes). models/memory.py makes the same decisions.
   */
  private mayCover(kt: Readonly<PoseTransform>, count: number): boolean {
    const { width: w, height: h, near } = this.camera;
    const { todo } = this;
    const { x: px, y: py, z: pz } = this.points;
    const { tanX, tanY } = this.plane;
    const point = _point;
    const stride = Math.max(1, Math.floor(count / CULL_SAMPLES));
    for (let q = 0; q < count; q += stride) {
      const p = todo[q]!;
      worldToCamera(kt, px[p]!, py[p]!, pz[p]!, point);
      const dk = -point.z;
      if (!(dk > near)) continue;
      const u = pixelU(point.x, dk, w, tanX);
      const v = pixelV(point.y, dk, h, tanY);
      if (u >= -0.5 - CULL_MARGIN && u < w - 0.5 + CULL_MARGIN && v >= -0.5 - CULL_MARGIN && v < h - 0.5 + CULL_MARGIN) return true;
    }
    return false;
  }

  /** Is `best` the lookup of this view of the store as it is now? */
  private bestIsFor(pose: Readonly<Pose>, depth: Float32Array): boolean {
    const b = this.bestPose;
    if (!this.bestValid || b.x !== pose.x || b.y !== pose.y || b.z !== pose.z || b.yaw !== pose.yaw || b.pitch !== pose.pitch) return false;
    const d = this.bestDepth;
    for (let p = 0; p < d.length; p++) if (d[p] !== depth[p]) return false;
    return true;
  }

  /** Everything held, as bytes (restore with `SpatialMemory.fromBytes`). */
  toBytes(): Uint8Array {
    const { width: w, height: h } = this.camera;
    const n = w * h;
    const displayBytes = 3 * this.displayPlane.width * this.displayPlane.height;
    const header = new Float64Array([MAGIC, FORMAT_VERSION, w, h, this.camera.fovYDegrees, this.camera.near, this.camera.far,
      this.options.capacity, this.options.keepRecent, this.options.nearMetres, this.options.nearDegrees,
      this.options.depthTolerance, this.options.depthSlack, this.options.paintedDecay, this.options.paintedFresh,
      this.options.resolutionSlack, this.options.displayScale, this.keyframes.length, this.options.objectPrior]);
    // Per keyframe: pose (5), painted flag, display flag, then frame (3n), depth (n) and confidence (n), as float32;
    // after all of them, the display frames of the keyframes that have one, as uint8; last, the
    // sky's colours (SKY_VALUES float64), learned from real frames some of which may be gone.
    const perKey = 7 + 5 * n;
    const body = new Float32Array(this.keyframes.length * perKey);
    const ticks = new Float64Array(this.keyframes.length);
    const displays = this.keyframes.filter((k) => k.display).length;
    this.keyframes.forEach((key, i) => {
      const o = i * perKey;
      body.set([key.pose.x, key.pose.y, key.pose.z, key.pose.yaw, key.pose.pitch, key.confidence ? 1 : 0, key.display ? 1 : 0], o);
      body.set(key.frame, o + 7);
      body.set(key.depth, o + 7 + 3 * n);
      if (key.confidence) body.set(key.confidence, o + 7 + 4 * n);
      ticks[i] = key.tick;
    });
    const sky = this.sky.sumsCopy();
    const bytes = new Uint8Array(header.byteLength + ticks.byteLength + body.byteLength + displays * displayBytes + sky.byteLength);
    bytes.set(new Uint8Array(header.buffer), 0);
    bytes.set(new Uint8Array(ticks.buffer), header.byteLength);
    bytes.set(new Uint8Array(body.buffer), header.byteLength + ticks.byteLength);
    let at = header.byteLength + ticks.byteLength + body.byteLength;
    for (const key of this.keyframes) {
      if (!key.display) continue;
      bytes.set(key.display, at);
      at += displayBytes;
    }
    bytes.set(new Uint8Array(sky.buffer), at);
    return bytes;
  }

  /** A memory saved by `toBytes`. */
  static fromBytes(bytes: Uint8Array): SpatialMemory {
    const fail = (why: string): never => {
      throw new NextframeError('bad-memory', `SpatialMemory.fromBytes: ${why}; expected bytes written by SpatialMemory.toBytes().`);
    };
    // Copies into fresh buffers: a Node Buffer's slice() shares memory (its .buffer is the whole pool).
    const copy = (from: number, to?: number): ArrayBuffer => new Uint8Array(bytes.subarray(from, to)).buffer;
    if (bytes.byteLength < 2 * 8) fail(`${bytes.byteLength} bytes is too short for the header`);
    const version = new Float64Array(copy(0, 2 * 8));
    if (version[0] !== MAGIC) fail('not a saved spatial memory (bad magic number)');
    if (version[1] !== FORMAT_VERSION && version[1] !== FORMAT_WITHOUT_SKY) fail(`format version ${version[1]}, this build reads ${FORMAT_WITHOUT_SKY} and ${FORMAT_VERSION} (save it again with this build)`);
    const withSky = version[1] === FORMAT_VERSION;
    const headerBytes = (withSky ? HEADER_VALUES : HEADER_VALUES_WITHOUT_SKY) * 8;
    if (bytes.byteLength < headerBytes) fail(`${bytes.byteLength} bytes is too short for the header`);
    const header = new Float64Array(copy(0, headerBytes));
    const [, , w, h, fovYDegrees, near, far, capacity, keepRecent, nearMetres, nearDegrees, depthTolerance, depthSlack, paintedDecay, paintedFresh, resolutionSlack, displayScale, count, objectPrior] = header as unknown as number[];
    const memory = new SpatialMemory({ width: w!, height: h!, fovYDegrees: fovYDegrees!, near: near!, far: far! },
      { capacity: capacity!, keepRecent: keepRecent!, nearMetres: nearMetres!, nearDegrees: nearDegrees!, depthTolerance: depthTolerance!, depthSlack: depthSlack!, paintedDecay: paintedDecay!, paintedFresh: paintedFresh!, resolutionSlack: resolutionSlack!, displayScale: displayScale!, ...(withSky ? { objectPrior } : {}) });
    const n = w! * h!;
    const perKey = 7 + 5 * n;
    const displayBytes = 3 * n * displayScale! * displayScale!;
    const floatsEnd = headerBytes + count! * 8 + count! * perKey * 4;
    if (bytes.byteLength < floatsEnd) fail(`${bytes.byteLength} bytes, the header promises at least ${floatsEnd} (${count} keyframes of ${w} × ${h})`);
    const ticks = new Float64Array(copy(headerBytes, headerBytes + count! * 8));
    const body = new Float32Array(copy(headerBytes + count! * 8, floatsEnd));
    let displays = 0;
    for (let i = 0; i < count!; i++) displays += body[i * perKey + 6] ? 1 : 0;
    const skyAt = floatsEnd + displays * displayBytes;
    const expected = skyAt + (withSky ? SKY_VALUES * 8 : 0);
    if (bytes.byteLength !== expected) fail(`${bytes.byteLength} bytes, the header promises ${expected} (${count} keyframes of ${w} × ${h}, ${displays} with display frames${withSky ? ', the sky\'s colours' : ''})`);
    let at = floatsEnd;
    for (let i = 0; i < count!; i++) {
      const o = i * perKey;
      let display: Uint8Array | null = null;
      if (body[o + 6]) {
        display = new Uint8Array(bytes.subarray(at, at + displayBytes)); // a copy (a Buffer's slice() would share)
        at += displayBytes;
      }
      memory.keyframes.push({
        pose: { x: body[o]!, y: body[o + 1]!, z: body[o + 2]!, yaw: body[o + 3]!, pitch: body[o + 4]! },
        frame: body.slice(o + 7, o + 7 + 3 * n),
        depth: body.slice(o + 7 + 3 * n, o + 7 + 4 * n),
        tick: ticks[i]!,
        confidence: body[o + 5] ? body.slice(o + 7 + 4 * n, o + perKey) : null,
        display,
      });
    }
    if (withSky) memory.sky.restore(new Float64Array(copy(skyAt, expected)));
    // Format 3 did not save the sky's colours: the real keyframes kept teach them again.
    else if (memory.options.objectPrior > 0) for (const key of memory.keyframes) if (!key.confidence) memory.sky.learn(key.frame, key.depth, key.pose);
    return memory;
  }
}

/**
 * For each keyframe, the 3×4 matrix (row-major, 12 values) taking a point in `pose`'s camera
 * space to the keyframe's camera space: the same as cameraToWorld(view) then worldToCamera(key).
 */
function viewToKeyframeMaps(pose: Readonly<Pose>, keys: readonly Keyframe[], maps: Float64Array): Float64Array {
  const view = poseTransform(pose);
  const world = _point;
  const col = _col;
  for (let k = 0; k < keys.length; k++) {
    const kt = poseTransform(keys[k]!.pose);
    const o = 12 * k;
    // Columns: the images of the view's x, y, z axes; then of its origin.
    for (let c = 0; c < 3; c++) {
      cameraDirectionToWorld(view, c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0, world);
      worldDirectionToCamera(kt, world.x, world.y, world.z, col);
      maps[o + c] = col.x;
      maps[o + 4 + c] = col.y;
      maps[o + 8 + c] = col.z;
    }
    worldToCamera(kt, view.x, view.y, view.z, col);
    maps[o + 3] = col.x;
    maps[o + 7] = col.y;
    maps[o + 11] = col.z;
  }
  return maps;
}

function meanConfidence(key: Keyframe): number {
  if (!key.confidence) return 1;
  if (key.meanConfidence === undefined) {
    const c = key.confidence;
    let sum = 0;
    for (let p = 0; p < c.length; p++) sum += c[p]!;
    key.meanConfidence = sum / c.length;
  }
  return key.meanConfidence;
}

function maxConfidence(key: Keyframe): number {
  if (!key.confidence) return 1;
  if (key.maxConfidence === undefined) {
    const c = key.confidence;
    let max = 0;
    for (let p = 0; p < c.length; p++) if (c[p]! > max) max = c[p]!;
    key.maxConfidence = max;
  }
  return key.maxConfidence;
}

/** `source` copied into `target` (the same length), returned. */
function copyInto(target: Float32Array, source: Float32Array): Float32Array {
  target.set(source);
  return target;
}

function clampIndex(i: number, size: number): number {
  return i < 0 ? 0 : i >= size ? size - 1 : i;
}

function checkPose(pose: Readonly<Pose>, where: string): void {
  if (![pose.x, pose.y, pose.z, pose.yaw, pose.pitch].every(Number.isFinite)) {
    throw new NextframeError('bad-memory', `${where}: pose must have finite x, y, z, yaw, pitch, found ${JSON.stringify(pose)}.`);
  }
}
