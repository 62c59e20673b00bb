import type { Backend } from '../../worldmodel/index.ts';
import type { Pose } from '../physics/Pose.ts';

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
}

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
  /** Speculative sampling hit rate and spatial-memory coverage; null until those features exist. */
  speculationHitRate: number | null;
  memoryCoverage: number | null;
}

export interface WorldModelPluginEvents {
  frame: FrameEvent;
  stats: StatsEvent;
  /** The model threw during a step; the world stops advancing (the last frame stays up). */
  error: Error;
}
