import type { PerspectiveCamera } from 'three';
import { POSE_SIZE } from '../../../worldmodel/dataset/actionLayout.ts';
import { toFloat16Array } from '../../../worldmodel/dataset/npy.ts';
import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import { boxDownsampleRgb } from '../../../worldmodel/dataset/boxDownsample.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { type CameraIntrinsics, type LoadedScene, ProxyDepth, type RapierModule, TruthCapture } from '../../runtime/index.ts';
import { ReplayPlayer, type ReplayScript } from '../players/ReplayPlayer.ts';
import { EpisodeSimulator } from './EpisodeSimulator.ts';

export interface EpisodeRecorderOptions {
  rapier: RapierModule;
  /** The scene to record (`loadScene`); the recorder owns it from here and disposes it. */
  scene: LoadedScene;
  /** Model resolution, pixels. Default 64 × 64. */
  width?: number;
  height?: number;
  /** The model's camera. Default: 70° vertical FOV, near 0.05, far 60; aspect follows width/height. */
  camera?: Omit<CameraIntrinsics, 'aspect'>;
  /** Model ticks per second. Default 20. */
  tickHz?: number;
  /** Render at this multiple of the resolution and average down (anti-aliasing). Default 2. */
  supersample?: number;
  /**
   * Also record the truth at this display size (`RecordedChunk.display`): an integer multiple f ≥ 2
   * of width × height, the same f on both sides. Default: none.
   */
  display?: { width: number; height: number };
  /** Canvas for the WebGL context; default: a new detached canvas. */
  canvas?: HTMLCanvasElement | OffscreenCanvas;
}

/** The arrays of a run of ticks, ready to append to an episode. */
export interface RecordedChunk {
  ticks: number;
  /** uint8 [n, H, W, 3], row 0 = top. */
  frames: Uint8Array;
  /** float16 bits [n, H, W], metres. */
  depth: Uint16Array;
  /** float32 [n, 5]: x, y, z, yaw, pitch. */
  poses: Float32Array;
  /** float32 [n, A] raw action values. */
  actions: Float32Array;
  /** uint8 [n, Hd, Wd, 3], row 0 = top, with the `display` option; else empty. */
  display: Uint8Array;
  /** Milliseconds spent per part over the chunk. */
  ms: { physics: number; render: number; readback: number; depth: number };
}

/**
 * Records ground truth in the browser: the scene drawn by the runtime's one ground-truth render
 * (`TruthCapture`: shadows on, overlay objects hidden) through exactly the model's camera at the
 * model's resolution, plus proxy depth, pose and action for each 20 Hz tick of a scripted player.
 * One episode at a time: `begin`, then `record(n)` until done. Owns the capture (a WebGL renderer
 * and render target) and the scene: `dispose()`.
 */
export class EpisodeRecorder {
  readonly width: number;
  readonly height: number;
  /** The display size, or null when only model frames are recorded. */
  readonly display: { width: number; height: number } | null;
  readonly camera: PerspectiveCamera;
  readonly intrinsics: CameraIntrinsics;
  readonly tickHz: number;
  private readonly rapier: RapierModule;
  private readonly loaded: LoadedScene;
  private readonly truth: TruthCapture;
  private readonly depthScratch: Float32Array;
  /** display / model resolution (1 without display frames). */
  private readonly factor: number;
  private sim: EpisodeSimulator | null = null;
  private depth: ProxyDepth | null = null;
  private started = false;
  private disposed = false;

  constructor(options: EpisodeRecorderOptions) {
    this.rapier = options.rapier;
    this.loaded = options.scene;
    this.tickHz = options.tickHz ?? 20;
    const width = options.width ?? 64;
    const height = options.height ?? 64;
    const display = options.display ?? null;
    this.factor = display ? display.width / width : 1;
    if (display && (!Number.isInteger(this.factor) || this.factor < 2 || display.height !== height * this.factor)) {
      throw new NextframeError('bad-options', `EpisodeRecorder: display ${display.width}×${display.height} must be the resolution ${width}×${height} times one integer ≥ 2 on both sides, e.g. ${width * 4}×${height * 4}.`);
    }
    this.display = display && { width: display.width, height: display.height };
    // One render serves both sizes: with a display size the truth is drawn at display × supersample,
    // averaged to the display frame, and the model frame is that display frame averaged down by f.
    // Measured on the arena (SwiftShader on 2 shared cores, 64 → 256, supersample 2, 200 ticks):
    // render + read-back 14 ms a tick at 128², 70 ms at 512², so a second, model-sized render would
    // add a fifth for nothing; and the two sizes then agree only to rounding (mean 0.17 levels,
    // at most 0.5), where a separate 128² render leaves them apart along every edge (mean 1.3
    // levels, PSNR 35.7 dB; it would keep the model frames byte-identical to a recording without
    // display frames, but the 8×-supersampled frame is the better anti-aliased one). The plug-in's
    // display-resolution truth can be averaged down the same way.
    // Its own renderer, set up for training frames (the shadow map drawn once: the recorded world is static).
    this.truth = new TruthCapture({
      width: display?.width ?? width,
      height: display?.height ?? height,
      ...(options.camera ? { camera: options.camera } : {}),
      ...(options.supersample !== undefined ? { supersample: options.supersample } : {}),
      ...(options.canvas ? { canvas: options.canvas } : {}),
    });
    this.width = width;
    this.height = height;
    this.camera = this.truth.camera;
    this.intrinsics = this.truth.intrinsics;
    this.depthScratch = new Float32Array(this.width * this.height);

    // Overlays are drawn over the painted world at play time, never part of what the model learns.
    for (const overlay of this.loaded.overlays) overlay.visible = false;
  }

  /**
   * Start an episode: a fresh physics world, the player `policy` spawned from `seed`; or, with
   * `replay`, its intents played from its start pose (`policy` then only names the episode). The
   * camera sits `eyeHeight` metres above the character's feet (default 1.6).
   */
  begin(seed: number, policy: string, replay?: ReplayScript, eyeHeight = DEFAULT_EYE_HEIGHT): void {
    this.assertLive('begin');
    this.end();
    const scripted = replay ? { player: new ReplayPlayer(replay.intents), start: replay.start } : {};
    this.sim = new EpisodeSimulator({ scene: this.loaded.layout, rapier: this.rapier, seed, policy, tickHz: this.tickHz, controller: { eyeHeight }, ...scripted });
    this.depth = new ProxyDepth(this.sim.physics, { width: this.width, height: this.height, camera: this.intrinsics });
  }

  /**
   * Record the next `n` ticks. The episode's first tick is the spawn view with a zero action;
   * each later tick steps the player and physics first, then draws.
   */
  record(n: number): RecordedChunk {
    this.assertLive('record');
    const sim = this.sim;
    const depth = this.depth;
    if (!sim || !depth) throw new NextframeError('not-ready', 'EpisodeRecorder: call begin(seed, policy) before record().');
    const { width: W, height: H, factor: f } = this;
    const Dn = this.display ? W * H * f * f * 3 : 0; // bytes of one display frame
    const A = sim.action.length;
    const chunk: RecordedChunk = {
      ticks: n,
      frames: new Uint8Array(n * H * W * 3),
      depth: new Uint16Array(n * H * W),
      poses: new Float32Array(n * POSE_SIZE),
      actions: new Float32Array(n * A),
      display: new Uint8Array(n * Dn),
      ms: { physics: 0, render: 0, readback: 0, depth: 0 },
    };
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      if (this.started) sim.step();
      else this.started = true; // tick 0: spawn pose, action stays all zeros
      let t1 = performance.now();
      chunk.ms.physics += t1 - t0;

      const pose = sim.pose;
      this.loaded.beforeRender(this.truth.placeCamera(pose));
      // Submit the frame, then cast depth rays on this thread while the GPU process draws;
      // the pixel read waits for the drawing to finish.
      t0 = performance.now();
      this.truth.draw(this.loaded.scene);
      t1 = performance.now();
      chunk.ms.render += t1 - t0;
      depth.render(pose, this.depthScratch);
      toFloat16Array(this.depthScratch, chunk.depth.subarray(i * H * W, (i + 1) * H * W));
      t0 = performance.now();
      chunk.ms.depth += t0 - t1;
      const frame = chunk.frames.subarray(i * H * W * 3, (i + 1) * H * W * 3);
      if (Dn > 0) boxDownsampleRgb(this.truth.read(chunk.display.subarray(i * Dn, (i + 1) * Dn)), W, H, f, frame);
      else this.truth.read(frame);
      chunk.ms.readback += performance.now() - t0;

      const p = chunk.poses.subarray(i * POSE_SIZE, (i + 1) * POSE_SIZE);
      p[0] = pose.x;
      p[1] = pose.y;
      p[2] = pose.z;
      p[3] = pose.yaw;
      p[4] = pose.pitch;
      if (sim.tick > 0) chunk.actions.set(sim.action, i * A);
    }
    return chunk;
  }

  /** Finish the current episode and free its physics world. */
  end(): void {
    this.sim?.dispose();
    this.sim = null;
    this.depth = null;
    this.started = false;
  }

  /** What the recorded render includes (for checks): overlays must be hidden, shadows on. */
  get state(): { overlaysVisible: boolean; shadows: boolean; supersample: number } {
    return { overlaysVisible: this.loaded.overlays.some((o) => o.visible), shadows: this.truth.renderer.shadowMap.enabled, supersample: this.truth.supersample };
  }

  /** The GPU the frames are drawn on, as WebGL names it. */
  get gpuName(): string {
    return this.truth.gpuName;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.end();
    this.disposed = true;
    this.loaded.dispose();
    this.truth.dispose();
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `EpisodeRecorder: ${method}() called after dispose(); create a new recorder.`);
  }
}
