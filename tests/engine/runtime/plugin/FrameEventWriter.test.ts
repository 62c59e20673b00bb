import { describe, expect, it } from 'vitest';
import { FrameEventWriter } from '../../../../engine/runtime/plugin/FrameEventWriter.ts';
import type { RunnerFrame } from '../../../../engine/runtime/plugin/ModelRunner.ts';
import type { Pose } from '../../../../worldmodel/index.ts';

function runnerFrame(tick: number, memory: Float32Array | null, memoryCoverage: number | null): RunnerFrame {
  return {
    tick,
    frame: new Float32Array(12).fill(tick / 10),
    pose: { x: tick, y: 1.6, z: -tick, yaw: 0.1, pitch: 0 },
    depth: new Float32Array(4),
    action: Float32Array.from([tick, 0, 0]),
    ms: 5 * tick,
    memory,
    memoryCoverage,
    memoryMs: 0,
  } as RunnerFrame;
}

describe('FrameEventWriter', () => {
  it("fills one reused event with the frame's own buffers; no truth unless asked", () => {
    const writer = new FrameEventWriter(12, null);
    const first = runnerFrame(1, null, null);
    const event = writer.write(first);
    expect(event).toEqual({ tick: 1, frame: first.frame, pose: first.pose, action: first.action, ms: 5, truth: null, memory: null, memoryCoverage: null });
    expect(event.frame).toBe(first.frame);
    expect(event.pose).toBe(first.pose);
    const memory = new Float32Array(16);
    const second = runnerFrame(2, memory, 0.25);
    expect(writer.write(second)).toBe(event);
    expect([event.tick, event.ms, event.memory, event.memoryCoverage, event.frame]).toEqual([2, 10, memory, 0.25, second.frame]);
  });

  it("renders the truth at each frame's pose into one buffer of its own", () => {
    const calls: { pose: Readonly<Pose>; out: Float32Array }[] = [];
    const writer = new FrameEventWriter(12, (pose, out) => {
      calls.push({ pose, out });
      return out.fill(pose.x);
    });
    const a = runnerFrame(3, null, null);
    const truthA = writer.write(a).truth;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.pose).toBe(a.pose);
    expect(calls[0]!.out).toHaveLength(12);
    expect(calls[0]!.out).not.toBe(a.frame);
    expect(Array.from(truthA!)).toEqual(new Array(12).fill(3));
    const b = runnerFrame(4, null, null);
    expect(writer.write(b).truth).toBe(truthA);
    expect(calls[1]!.out).toBe(calls[0]!.out);
    expect(Array.from(truthA!)).toEqual(new Array(12).fill(4));
  });
});
