import type { Backend } from '../../../worldmodel/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';

/** A new world frame is on screen. Buffers are reused: copy what you keep. */
export interface FrameEvent {
  /** Frames painted since the (re)start; 0 is the ground-truth start view. */
  tick: number;
  /** CHW float32 in [−1, 1] at the model's size. */
  frame: Float32Array;
  pose: Readonly<Pose>;
  /** The raw action (model slot order) the frame answers. */
  action: Float32Array;
  /** Milliseconds the model took for it. */
  ms: number;
  /** The ground-truth view at the same pose when `captureTruth` is on, else null. */
  truth: Float32Array | null;
  /**
   * The spatial-memory stream the model was given for this frame (4·H·W: RGB in [−1, 1], then
   * coverage) when it is kept (`captureMemory`, or while the view is `memory`), else null.
   */
  memory: Float32Array | null;
  /** Share of the frame's memory stream that memory covered (0 while memory is off); null for the start view and models without memory. */
  memoryCoverage: number | null;
  /**
   * The frame at display resolution (3·sH·sW, CHW in [−1, 1]) that the screen shows in its place:
   * the display upsampler's (the ground truth at display size for the start view); null without a
   * display upsampler or while stepped down to bicubic.
   */
  display: Float32Array | null;
}

/** A model without spatial memory: `none`; one with it: `on`, or `off` while turned off (`memoryEnabled`). */
export type MemoryState = 'none' | 'on' | 'off';

/** Measurements, about twice a second. */
export interface StatsEvent {
  /** `update` calls per second: the display rate the page keeps. */
  displayFps: number;
  /** Draws per second (an update that changes nothing on screen does not draw; see `redraw`). */
  drawFps: number;
  /** World frames per second the model delivered. */
  worldFps: number;
  /** The model's tick rate (what `worldFps` is when the model keeps up). */
  tickHz: number;
  /** Milliseconds per world frame (the last one). */
  modelMs: number;
  backend: Backend;
  /** Milliseconds per tick of proxy-depth ray casts, and per update of physics. */
  depthMs: number;
  physicsMs: number;
  /** Milliseconds of main-thread time per `update` (input, physics, depth, draw submission). */
  updateMs: number;
  /** World frames painted since the (re)start. */
  ticks: number;
  /** Share of world frames since the (re)start that were ready when their tick came (speculative sampling); null before the first. */
  speculationHitRate: number | null;
  /** Speculative sampling mode in use (`off`: each frame painted when its tick comes); with auto, the one it chose. */
  speculationMode: 'off' | 'single' | 'multi';
  /** Whether auto speculation chooses the mode (`speculation: 'auto'`, the default). */
  speculationAuto: boolean;
  /** Candidate actions painted per tick (1 single-branch, 0 off) and ticks ahead (0 off). */
  speculationBranches: number;
  speculationLookahead: number;
  /** Whether the model has spatial memory and whether it is on. */
  memoryState: MemoryState;
  /**
   * Share of the last world frame's memory stream that memory covered, in [0, 1] (0 while memory
   * is off); null for models without memory and before the first painted frame.
   */
  memoryCoverage: number | null;
  /** Milliseconds per world frame of spatial memory (render into the view + remember the frame); null without memory. */
  memoryMs: number | null;
  /** Keyframes spatial memory holds; null without memory. */
  memoryKeyframes: number | null;
  /**
   * The display path live now: `learned`, a learned upsampler's display frames; `bicubic`, the
   * model's frame stretched bicubically (no upsampler, `display: 'bicubic'`, or stepped down).
   */
  display: 'learned' | 'bicubic';
  /** The display stepped down to bicubic because the model's frame and the display frame did not fit in a tick (`display: 'auto'`). */
  displaySteppedDown: boolean;
  /**
   * Size of the world frame behind the screen, pixels: the display frame's (e.g. 256 × 256) while
   * one is shown, else the model's frame (e.g. 64 × 64, stretched bicubically).
   */
  displayWidth: number;
  displayHeight: number;
  /** Milliseconds per display frame (memory's display render and the upsampling); null without a display upsampler or when none was made lately. */
  displayMs: number | null;
}

/** The display stepped down to bicubic, or back up (`display: 'auto'`). */
export interface DisplayEvent {
  /** The display path from now on. */
  display: 'learned' | 'bicubic';
  /** True when it stepped down (a tick would overrun), false when it stepped back up. */
  steppedDown: boolean;
  /** What a model frame costs on the device now, ms. */
  modelMs: number;
  /** What a display frame costs (measured this tick, or estimated while stepped down), ms. */
  displayMs: number;
  /** Milliseconds of a tick the two may take together. */
  budgetMs: number;
  /** The tick it was decided at. */
  tick: number;
}

export interface WorldModelPluginEvents {
  frame: FrameEvent;
  stats: StatsEvent;
  /** The model threw during a step; the world stops advancing (the last frame stays up). */
  error: Error;
  /** The model's device was lost and it moved to WASM (`fallbackOnDeviceLoss`), history and memory kept. */
  fallback: FallbackEvent;
  /** The display stepped down to bicubic or back up (`display: 'auto'`). */
  display: DisplayEvent;
}

/** The model moved to another backend mid-play. */
export interface FallbackEvent {
  /** Why: the lost device's reason. */
  reason: string;
  from: Backend;
  to: Backend;
  /** Milliseconds play was held while the session was made again. */
  ms: number;
  /** The tick the world went on from (frames painted before the loss are kept). */
  tick: number;
}
