import { NextframeError } from './errors.ts';

export interface FrameHistoryOptions {
  /** Context length K: how many past frames the model sees. */
  frames: number;
  /** Values in one frame: 3·H·W. */
  frameSize: number;
  /** Values in one encoded action: A. */
  actionSize: number;
}

/**
 * Ring buffer of the last K frames and, for each, the encoded action that led into it.
 *
 * Model convention (shared with training): to make frame t the model sees frames t−K…t−1 as
 * `context` (oldest first) and, as `actions`, the actions that led into frames t−K+1…t, so
 * the last action row is the one being taken now.
 */
export class FrameHistory {
  readonly frames: number;
  readonly frameSize: number;
  readonly actionSize: number;
  private readonly frameData: Float32Array;
  private readonly actionData: Float32Array;
  private head = 0; // slot of the oldest frame
  private filled = false;

  constructor(options: FrameHistoryOptions) {
    const { frames, frameSize, actionSize } = options;
    for (const [name, value] of Object.entries({ frames, frameSize, actionSize })) {
      if (!Number.isInteger(value) || value < 1) throw new NextframeError('bad-options', `FrameHistory: ${name} must be a positive integer, found ${value}.`);
    }
    this.frames = frames;
    this.frameSize = frameSize;
    this.actionSize = actionSize;
    this.frameData = new Float32Array(frames * frameSize);
    this.actionData = new Float32Array(frames * actionSize);
  }

  /** True once `reset` has filled all K slots. */
  get ready(): boolean {
    return this.filled;
  }

  /**
   * Start over from K initial frames (oldest first), and optionally the actions that led into
   * them (default: all zeros, "standing still").
   */
  reset(frames: readonly Float32Array[], actions?: readonly Float32Array[]): void {
    if (frames.length !== this.frames) {
      throw new NextframeError('bad-frames', `FrameHistory: reset needs exactly ${this.frames} initial frames (the model's context length), found ${frames.length}.`);
    }
    if (actions && actions.length !== this.frames) {
      throw new NextframeError('bad-actions', `FrameHistory: reset needs ${this.frames} initial actions or none, found ${actions.length}.`);
    }
    this.head = 0;
    frames.forEach((frame, i) => this.writeFrame(i, frame));
    this.actionData.fill(0);
    actions?.forEach((action, i) => this.writeAction(i, action));
    this.filled = true;
  }

  /** Append a committed frame and the action that produced it; the oldest frame drops out. */
  push(frame: Float32Array, action: Float32Array): void {
    this.requireReady();
    const slot = this.head;
    this.writeFrame(slot, frame);
    this.writeAction(slot, action);
    this.head = (this.head + 1) % this.frames;
  }

  /** The newest frame (a view into the buffer: copy it if you keep it past the next push). */
  latest(): Float32Array {
    this.requireReady();
    const slot = (this.head + this.frames - 1) % this.frames;
    return this.frameData.subarray(slot * this.frameSize, (slot + 1) * this.frameSize);
  }

  /** Write the context, oldest first, into `out` at `offset`: K·3·H·W values. */
  writeContext(out: Float32Array, offset = 0): void {
    this.requireReady();
    for (let k = 0; k < this.frames; k++) {
      const slot = (this.head + k) % this.frames;
      out.set(this.frameData.subarray(slot * this.frameSize, (slot + 1) * this.frameSize), offset + k * this.frameSize);
    }
  }

  /**
   * Write the K×A action rows for the next frame into `out` at `offset`: the actions that led
   * into the K−1 newest context frames, then `next`, the action being taken now.
   */
  writeActions(next: Float32Array, out: Float32Array, offset = 0): void {
    this.requireReady();
    const A = this.actionSize;
    for (let k = 0; k < this.frames - 1; k++) {
      const slot = (this.head + k + 1) % this.frames;
      out.set(this.actionData.subarray(slot * A, (slot + 1) * A), offset + k * A);
    }
    out.set(next.subarray(0, A), offset + (this.frames - 1) * A);
  }

  /** Save the buffers (for speculation rollback and snapshots). */
  snapshot(): { frames: Float32Array; actions: Float32Array; head: number } {
    return { frames: this.frameData.slice(), actions: this.actionData.slice(), head: this.head };
  }

  restore(state: { frames: Float32Array; actions: Float32Array; head: number }): void {
    if (state.frames.length !== this.frameData.length || state.actions.length !== this.actionData.length) {
      throw new NextframeError('bad-snapshot', 'FrameHistory: the snapshot was taken from a history of a different size.');
    }
    this.frameData.set(state.frames);
    this.actionData.set(state.actions);
    this.head = state.head;
    this.filled = true;
  }

  private writeFrame(slot: number, frame: Float32Array): void {
    if (frame.length !== this.frameSize) {
      throw new NextframeError('bad-frame', `FrameHistory: a frame must have ${this.frameSize} values (3·H·W), found ${frame.length}.`);
    }
    this.frameData.set(frame, slot * this.frameSize);
  }

  private writeAction(slot: number, action: Float32Array): void {
    if (action.length !== this.actionSize) {
      throw new NextframeError('bad-action', `FrameHistory: an encoded action must have ${this.actionSize} values, found ${action.length}.`);
    }
    this.actionData.set(action, slot * this.actionSize);
  }

  private requireReady(): void {
    if (!this.filled) throw new NextframeError('not-reset', 'FrameHistory: call reset(initialFrames) before stepping.');
  }
}
