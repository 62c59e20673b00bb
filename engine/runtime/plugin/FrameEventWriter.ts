import type { Pose } from '../../../worldmodel/index.ts';
import type { RunnerFrame } from './ModelRunner.ts';
import type { FrameEvent } from './pluginEvents.ts';

/** The ground-truth view at a pose, CHW float32 in [−1, 1], written into `out`. */
export type RenderTruth = (pose: Readonly<Pose>, out: Float32Array) => Float32Array;

/**
 * The `frame` event of each world frame: one object, refilled for every frame (listeners copy what
 * they keep), with the ground-truth view at the frame's pose when `renderTruth` is given (one
 * render and read-back per frame, into a buffer of its own).
 */
export class FrameEventWriter {
  private readonly event: FrameEvent;
  private readonly truthFrame: Float32Array;
  private readonly renderTruth: RenderTruth | null;

  /** `frameSize`: values in one frame, 3·H·W. `renderTruth`: null to leave `truth` null. */
  constructor(frameSize: number, renderTruth: RenderTruth | null) {
    this.truthFrame = new Float32Array(frameSize);
    this.renderTruth = renderTruth;
    this.event = { tick: 0, frame: this.truthFrame, pose: { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }, action: new Float32Array(0), ms: 0, truth: null, memory: null, memoryCoverage: null, display: null };
  }

  /** The event for `frame` (the same object every time; its buffers are the frame's own). */
  write(frame: Readonly<RunnerFrame>): FrameEvent {
    const event = this.event;
    event.tick = frame.tick;
    event.frame = frame.frame;
    event.pose = frame.pose;
    event.action = frame.action;
    event.ms = frame.ms;
    event.truth = this.renderTruth ? this.renderTruth(frame.pose, this.truthFrame) : null;
    event.memory = frame.memory;
    event.memoryCoverage = frame.memoryCoverage;
    event.display = frame.display;
    return event;
  }
}
