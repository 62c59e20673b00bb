import RAPIER from '@dimforge/rapier3d-compat';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlayerLoop, type IntentSource, type PlayerLoopOptions } from '../../../../engine/runtime/plugin/PlayerLoop.ts';
import type { RunnerFrame } from '../../../../engine/runtime/plugin/ModelRunner.ts';
import { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';
import type { RapierModule } from '../../../../engine/runtime/physics/rapierTypes.ts';
import type { Intent } from '../../../../engine/runtime/physics/CharacterController.ts';
import { ACTION } from '../../../../worldmodel/dataset/actionLayout.ts';
import { NextframeError } from '../../../../worldmodel/errors.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

// The game loop without three.js: a real Rapier world (a flat floor, nothing else), a real ONNX
// model (the tiny-streams fixture: 32 × 32, 20 Hz, memory and depth streams), and a "ground
// truth" that is a flat grey, since nothing renders three.js in Node.
const fixture = fileURLToPath(new URL('../../../fixtures/tiny-streams/', import.meta.url));
const rapier = RAPIER as unknown as RapierModule;
const GREY = 0.5;

function floorWorld(): PhysicsWorld {
  const physics = new PhysicsWorld(rapier);
  physics.world.createCollider(rapier.ColliderDesc.cuboid(50, 0.5, 50).setTranslation(0, -0.5, 0));
  physics.refreshQueries();
  return physics;
}

/** An input that walks forward and turns `turn` radians once, on the first read, and throws `throws` times. */
function scriptedInput(turn: number, throws: number): IntentSource & { reads: number } {
  return {
    reads: 0,
    read(intent: Intent, look: { yaw: number; pitch: number }): Intent {
      intent.forward = 1;
      if (this.reads++ === 0) look.yaw += turn;
      return intent;
    },
    consumeThrows(): number {
      const n = throws;
      throws = 0;
      return n;
    },
  };
}

describe('PlayerLoop', () => {
  let model: WorldModel;
  const live: { loop: PlayerLoop; physics: PhysicsWorld }[] = [];
  beforeAll(async () => {
    await RAPIER.init();
    model = await WorldModel.load(fixture, { device: 'wasm', threads: 1 });
  });
  afterEach(() => {
    for (const { loop, physics } of live.splice(0)) {
      loop.dispose();
      physics.dispose();
    }
  });
  afterAll(async () => {
    await model.dispose();
  });

  function makeLoop(options: Partial<PlayerLoopOptions> = {}): { loop: PlayerLoop; frames: RunnerFrame[]; physics: PhysicsWorld } {
    const physics = floorWorld();
    const frames: RunnerFrame[] = [];
    const loop = new PlayerLoop({
      model,
      physics,
      spawn: { x: 0, y: 0, z: 0, yaw: 0 },
      renderTruth: (_pose, out) => out.fill(GREY),
      onFrame: (frame) => frames.push({ ...frame, frame: Float32Array.from(frame.frame), pose: { ...frame.pose }, action: Float32Array.from(frame.action) }),
      ...options,
    });
    live.push({ loop, physics });
    return { loop, frames, physics };
  }

  /** Play `seconds` at 60 updates a second, letting the model finish each tick (a fast device). */
  async function play(loop: PlayerLoop, seconds: number): Promise<void> {
    for (let i = 0; i < Math.round(seconds * 60); i++) {
      loop.update(1 / 60);
      await loop.idle();
    }
  }

  it('starts from the ground-truth view, then turns each tick of walking into the action the model paints', async () => {
    const { loop, frames } = makeLoop();
    loop.intent.forward = 1; // no input: the intent is set by hand
    await play(loop, 0.5);
    // 30 physics steps of 1/60 s at 20 Hz are 10 ticks; the start view is frame 0.
    expect(frames.map((f) => f.tick)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(frames[0]!.frame.subarray(0, 4))).toEqual([GREY, GREY, GREY, GREY]);
    // Facing −z (yaw 0) on a flat floor: forward is metres towards −z, nothing sideways, no turn.
    for (let t = 1; t < frames.length; t++) {
      const [before, after] = [frames[t - 1]!.pose, frames[t]!.pose];
      const action = frames[t]!.action;
      expect(action[ACTION.forward]).toBeCloseTo(before.z - after.z, 5);
      expect(Math.abs(action[ACTION.strafe]!)).toBeLessThan(1e-3); // the capsule's contact solver drifts by a hair
      expect(action[ACTION.yaw]).toBe(0);
    }
    // The character accelerates towards 4 m/s: it moved, and no tick went faster than 0.2 m.
    const walked = frames[0]!.pose.z - frames.at(-1)!.pose.z;
    expect(walked).toBeGreaterThan(0.5);
    expect(walked).toBeLessThan(10 * 0.2 + 1e-6);
    expect(model.tick).toBe(10);
  });

  it('spreads a fast turn over ticks so no tick turns more than the model learned, and loses none of it', async () => {
    // 0.5 rad in one mouse move: more than one tick may turn, less than the 0.6 rad TurnLimiter queues.
    const input = scriptedInput(0.5, 0);
    const { loop, frames } = makeLoop({ input });
    await play(loop, 1);
    const maxYaw = model.manifest.actions.find((s) => s.name === 'yaw')!.scale;
    const yaws = frames.slice(1).map((f) => f.action[ACTION.yaw]!);
    for (const yaw of yaws) expect(Math.abs(yaw)).toBeLessThanOrEqual(maxYaw + 1e-6);
    expect(yaws.filter((y) => y !== 0).length).toBeGreaterThan(1);
    expect(yaws.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5, 5);
    expect(input.reads).toBe(60);
  });

  it('asks the host to throw once per throw press', async () => {
    let thrown = 0;
    const { loop } = makeLoop({ input: scriptedInput(0, 3), onThrow: () => thrown++ });
    await play(loop, 0.1);
    expect(thrown).toBe(3);
  });

  it('waits for the model: physics never runs more than one tick ahead of the frames', () => {
    const { loop, frames } = makeLoop();
    loop.intent.forward = 1;
    // A second of updates without ever letting the model's step finish.
    for (let i = 0; i < 60; i++) loop.update(1 / 60);
    expect(loop.clock.ticks).toBe(1);
    expect(loop.clock.waiting).toBe(true);
    expect(frames.map((f) => f.tick)).toEqual([0]);
    expect(loop.clock.steps).toBeLessThanOrEqual(2 * loop.clock.stepsPerTick);
  });

  it('records what was played in the dataset format: the start view, then every tick', async () => {
    const { loop } = makeLoop({ world: { id: 'flat-floor', hash: 'abc' }, character: { eyeHeight: 1.2 } });
    loop.intent.forward = 1;
    await play(loop, 0.05); // start
    const capture = loop.startRecording({ seed: 7 });
    await play(loop, 0.2); // 12 steps: 4 ticks
    expect(loop.stopRecording()).toBe(capture);
    expect(loop.recording).toBeNull();
    const episode = capture.episode();
    expect(episode.meta.ticks).toBe(5);
    expect(episode.meta.scene).toBe('flat-floor');
    expect(episode.meta.seed).toBe(7);
    // The character's eye height, in the meta and in the poses (the floor's top is y = 0).
    expect(episode.meta.eyeHeight).toBe(1.2);
    expect(episode.poses[1]).toBeCloseTo(1.2, 1);
    // Grey 0.5 in [−1, 1] is byte 191; proxy depth of a flat floor is finite and below far.
    expect(episode.frames[0]).toBe(191);
    expect(episode.frames.every((b) => b === 191)).toBe(true);
    // Poses advance towards −z, one row per tick.
    const z = Array.from({ length: 5 }, (_, t) => episode.poses[t * 5 + 2]!);
    for (let t = 1; t < 5; t++) expect(z[t]!).toBeLessThan(z[t - 1]!);
  });

  it('restarts from a pose: the player is put there and frames count from 0 again', async () => {
    const { loop, frames } = makeLoop();
    await play(loop, 0.2);
    await loop.restart({ x: 3, y: 1.6, z: -4, yaw: 1, pitch: 0.2 });
    const start = frames.at(-1)!;
    expect(start.tick).toBe(0);
    expect(start.pose.x).toBeCloseTo(3, 5);
    expect(start.pose.z).toBeCloseTo(-4, 5);
    expect(start.pose.yaw).toBeCloseTo(1, 5);
    expect(start.pose.pitch).toBeCloseTo(0.2, 5);
    expect(start.pose.y).toBeGreaterThan(1.4);
    expect(start.pose.y).toBeLessThan(1.7);
  });

  it('walks the site first: the start view turned through the survey\'s headings is remembered as real views, older than the start view', () => {
    // The "truth" says which way it looks: its grey level is the cosine of the view's heading.
    const looked: number[] = [];
    const byHeading = (pose: { yaw: number }, out: Float32Array): Float32Array => {
      looked.push(pose.yaw);
      return out.fill(0.8 * Math.cos(pose.yaw));
    };
    const { loop } = makeLoop({ renderTruth: byHeading, survey: { headings: 4 } });
    loop.update(1 / 60); // starts the model; no tick yet
    expect(looked.map((yaw) => yaw / (Math.PI / 2))).toEqual([0, 1, 2, 3].map((q) => expect.closeTo(q, 6)));
    const memory = model.memory!;
    expect(memory.ticks).toEqual([-3, -2, -1, 0]); // the start view is the newest keyframe
    // Turned right round, the player sees what the survey saw there, not an empty memory.
    const back = { ...loop.character.pose, yaw: Math.PI, pitch: 0 };
    const stream = memory.render(back, loop.proxyDepth.render(back));
    const n = model.width * model.height;
    let covered = 0;
    let grey = 0;
    for (let p = 0; p < n; p++) {
      if (stream[3 * n + p]! < 0.5) continue;
      covered++;
      grey += stream[p]!;
    }
    expect(covered / n).toBeGreaterThan(0.9);
    expect(grey / covered).toBeCloseTo(-0.8, 2);

    // Without it, the same turn finds the start view only, which does not reach behind the player.
    const plain = makeLoop({ renderTruth: byHeading });
    plain.loop.update(1 / 60);
    expect(memory.ticks).toEqual([0]);
    memory.render(back, plain.loop.proxyDepth.render(back));
    // What memory's keyframes cover (the stream's coverage also counts the floor's object colour).
    expect(memory.lastCoverage).toBeLessThan(0.05);
  });

  it('refuses a survey of fewer than two headings, naming what it needs', () => {
    for (const headings of [1, 2.5]) {
      expect(() => makeLoop({ survey: { headings } })).toThrow(/survey\.headings must be an integer ≥ 2/);
    }
  });

  it('reports stats about twice a second, with the memory of a memory model', async () => {
    const { loop } = makeLoop();
    const now = performance.now();
    expect(loop.report(now)).toBeNull();
    await play(loop, 0.3);
    const stats = loop.report(now + 600);
    expect(stats).not.toBeNull();
    expect(stats!.tickHz).toBe(20);
    expect(stats!.memoryState).toBe('on');
    expect(stats!.ticks).toBe(6);
    expect(stats!.memoryKeyframes).toBe(model.memory!.size);
    expect(stats!.depthMs).toBeGreaterThan(0);
  });

  it('frees its character on dispose and refuses use after it', () => {
    const { loop, physics } = makeLoop();
    const colliders = physics.world.colliders.len();
    loop.dispose();
    expect(physics.world.colliders.len()).toBe(colliders - 1);
    loop.dispose();
    expect(loop.isDisposed).toBe(true);
    const error = (() => {
      try {
        loop.update(1 / 60);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(NextframeError);
    expect((error as NextframeError).code).toBe('disposed');
  });
});
