import { ACTION } from '../../../worldmodel/dataset/actionLayout.ts';
import { median, NextframeError, type WorldModel } from '../../../worldmodel/index.ts';
import { ProxyDepth, type RapierModule, type SceneLayout } from '../../runtime/index.ts';
import { EpisodeSimulator } from '../../capture/index.ts';

/** The budget of one 20 Hz tick, ms (DESIGN.md "Tick budget"): everything a tick does must fit in it. */
export const TICK_BUDGET_MS = 40;

/**
 * Median milliseconds of each part of a tick over the measured ticks. A part the model does not
 * have (no `memory` stream) is null.
 */
export interface TickParts {
  /** `EpisodeSimulator.step()`: the character controller and Rapier for one tick (three fixed 1/60 s steps), plus the scripted player's choice and its 8 sensing rays (a person plays instead; 8 rays next to the depth's W·H). */
  physics: number;
  /** `ProxyDepth.render`: one ray cast per pixel at the model's resolution, against the static colliders. Runs every tick, as the plug-in does, whatever the model takes. */
  depth: number;
  /** `SpatialMemory.render` of the tick's view, as `WorldModel.step` calls it (its own timer, `lastRenderMs`). */
  memoryRender: number | null;
  /** `SpatialMemory.insert` of the painted frame, as `WorldModel.step` calls it (`lastInsertMs`). */
  memoryInsert: number | null;
  /**
   * The rest of `WorldModel.step`, timed around the call, less the memory and display parts of
   * the same tick: the denoising runs (the sampler loop and every ONNX run), and the small work
   * around them: action encoding, depth normalisation, context copies, the base warp of
   * `start: "base"` models.
   */
  model: number;
  /** With a display upsampler (`WorldModelOptions.display`): `SpatialMemory.renderDisplay` of the tick's view, the upsampler's memory input (`lastDisplayRenderMs`). Null without one, or without memory. */
  displayRender: number | null;
  /** With a display upsampler: its `upsample` of the painted frame (`lastMs`). Null without one. */
  upsample: number | null;
}

export interface TickReport {
  /** Median of the whole tick timed end to end (physics through the model step), ms. */
  msPerTick: number;
  /** Sum of the part medians (not a tick's time: medians do not add); beside msPerTick for comparison. */
  msPerTickPartsSum: number;
  tickParts: TickParts;
  tickBudgetMs: number;
  ticksMeasured: number;
}

export interface MeasureTickOptions {
  /** The scene's colliders, spawn area and dynamic objects (a `SceneDescription` is one). */
  scene: SceneLayout;
  /** `@dimforge/rapier3d-compat`, after `await init()`. */
  rapier: RapierModule;
  /** Ticks timed after the warm-up. */
  ticks: number;
  /**
   * Untimed ticks first: ORT sizes its arena and JITs kernels on the first runs, and the spatial
   * memory fills up (a long game runs on a full memory, which renders slower than an empty one).
   * Default: the memory's capacity (at least 5).
   */
  warmupTicks?: number;
  /** Scripted player (`wander`, `explore`). Default `wander`. */
  policy?: string;
  /** Episode seed: spawn point and the player's randomness. Default 0. */
  seed?: number;
  /** After each tick, warm-up included: ticks done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The whole tick as play runs it, in this process: a scripted player moves through the scene
 * (physics), proxy depth is cast for the new pose, and the model paints the frame for the tick's
 * action (with the view `{ pose, depth }` for models that take one, which renders the spatial
 * memory for it and remembers the painted frame; with a display upsampler it also paints the
 * display frame from memory's display render). Times each part and the tick end to end; the
 * model must be freshly loaded or at least not mid-episode (it is reset here).
 */
export async function measureTick(model: WorldModel, options: MeasureTickOptions): Promise<TickReport> {
  const { ticks } = options;
  if (!Number.isInteger(ticks) || ticks < 1) throw new NextframeError('bad-options', `measureTick: ticks must be a positive integer, found ${ticks}.`);
  const memory = model.memory;
  const warmup = options.warmupTicks ?? Math.max(5, memory?.options.capacity ?? 0);
  const { width: W, height: H, manifest } = model;
  const slotSource = manifest.actions.map((slot) => {
    const index = (ACTION as Record<string, number>)[slot.name];
    if (index === undefined) throw new NextframeError('unknown-action-slot', `measureTick: model "${manifest.id}" has an action slot "${slot.name}" the player cannot produce; it produces ${Object.keys(ACTION).join(', ')}. Retrain or re-export the model with those slot names.`);
    return index;
  });
  const simulator = new EpisodeSimulator({ scene: options.scene, rapier: options.rapier, seed: options.seed ?? 0, policy: options.policy ?? 'wander', tickHz: manifest.tickHz });
  try {
    const proxy = new ProxyDepth(simulator.physics, { width: W, height: H, camera: { ...manifest.camera, aspect: W / H } });
    const depth = new Float32Array(W * H);
    const frame = new Float32Array(3 * W * H);
    const action = new Float32Array(slotSource.length);
    const view = { pose: simulator.pose, depth };
    const conditioning = model.takesView ? { view } : {};
    // As the plug-in starts: K frames (their content does not change the speed) and the view of the newest.
    proxy.render(simulator.pose, depth);
    model.reset(
      Array.from({ length: model.contextFrames }, () => frame),
      undefined,
      model.takesView ? [view] : undefined,
    );
    const display = model.display && model.displayEnabled ? model.display : null;
    const displayMemory = display ? memory : null; // the display render needs memory
    const times = { tick: [] as number[], physics: [] as number[], depth: [] as number[], memoryRender: [] as number[], memoryInsert: [] as number[], model: [] as number[], displayRender: [] as number[], upsample: [] as number[] };
    for (let t = 0; t < warmup + ticks; t++) {
      if (memory) {
        // A step that skipped a memory part shows as NaN, not as the last tick's time.
        memory.lastRenderMs = Number.NaN;
        memory.lastInsertMs = Number.NaN;
        memory.lastDisplayRenderMs = Number.NaN;
      }
      if (display) display.lastMs = Number.NaN;
      const t0 = performance.now();
      const raw = simulator.step();
      const t1 = performance.now();
      proxy.render(simulator.pose, depth);
      const t2 = performance.now();
      for (let i = 0; i < slotSource.length; i++) action[i] = raw[slotSource[i]!]!;
      await model.step(action, conditioning, frame);
      const t3 = performance.now();
      if (t >= warmup) {
        times.tick.push(t3 - t0);
        times.physics.push(t1 - t0);
        times.depth.push(t2 - t1);
        const memoryMs = memory ? memory.lastRenderMs + memory.lastInsertMs : 0;
        if (memory) {
          times.memoryRender.push(memory.lastRenderMs);
          times.memoryInsert.push(memory.lastInsertMs);
        }
        const displayMs = (displayMemory ? displayMemory.lastDisplayRenderMs : 0) + (display ? display.lastMs : 0);
        if (displayMemory) times.displayRender.push(displayMemory.lastDisplayRenderMs);
        if (display) times.upsample.push(display.lastMs);
        times.model.push(t3 - t2 - memoryMs - displayMs);
      }
      options.onProgress?.(t + 1, warmup + ticks);
    }
    const tickParts: TickParts = {
      physics: median(times.physics),
      depth: median(times.depth),
      memoryRender: memory ? median(times.memoryRender) : null,
      memoryInsert: memory ? median(times.memoryInsert) : null,
      model: median(times.model),
      displayRender: displayMemory ? median(times.displayRender) : null,
      upsample: display ? median(times.upsample) : null,
    };
    return {
      msPerTick: median(times.tick),
      msPerTickPartsSum: Object.values(tickParts).reduce<number>((sum, ms) => sum + (ms ?? 0), 0),
      tickParts,
      tickBudgetMs: TICK_BUDGET_MS,
      ticksMeasured: ticks,
    };
  } finally {
    simulator.dispose();
  }
}
