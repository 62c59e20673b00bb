import { frameToRgbBytes, rgbToFrame } from '../../worldmodel/frames.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';
import { NextframeError } from '../../worldmodel/index.ts';
import type { CameraIntrinsics, SceneLighting } from '../runtime/index.ts';
import { drawSphereOverlays } from './drawSphereOverlays.ts';
import type { GroundTruthRenderer } from './groundtruth/GroundTruthRenderer.ts';
import type { ObservationRenderer } from './ObservationRenderer.ts';
import type { PolicySimulation } from './PolicySimulation.ts';
import type { Survey } from './surveyMemory.ts';

export interface WorldModelObserverOptions {
  /** One model per environment slot, all forks of one session (`WorldModel.fork`). */
  models: readonly WorldModel[];
  /** Renders the K start frames of each episode. */
  renderer: GroundTruthRenderer;
  ownsRenderer: boolean;
  /** A model to dispose on close besides the slots' (the one the forks came from, when owned). */
  ownedParent: WorldModel | null;
  camera: CameraIntrinsics;
  lighting: SceneLighting;
  /**
   * Real views of the static scene every episode's spatial memory starts with (older than the
   * start frame), so places the policy turns to are painted from what was seen there rather
   * than imagined. None: memory starts with the start frame alone.
   */
  survey?: Survey | null;
}

/**
 * Observations painted by the world model in Node. At reset the model starts from K copies of
 * the ground-truth view at the spawn pose (rendered without the physics objects, exactly like
 * its training frames), so both sources begin from the same picture; each tick every
 * environment's action and view (pose and proxy depth) go into one batched model run
 * (`WorldModel.stepMany`). The balls are drawn over the painted frames in software, depth-tested
 * against proxy depth; the frames kept in the model's history stay free of them, as in training.
 */
export class WorldModelObserver implements ObservationRenderer {
  readonly source = 'worldmodel' as const;
  readonly lastMs: Record<string, number> = { depth: 0, model: 0, overlay: 0 };
  private readonly options: WorldModelObserverOptions;
  private readonly frames: Float32Array[];

  constructor(options: WorldModelObserverOptions) {
    this.options = options;
    const { models } = options;
    if (models.length === 0) throw new NextframeError('bad-options', 'WorldModelObserver: expected at least one model, found none; pass options.models with one model per environment.');
    const size = 3 * models[0]!.width * models[0]!.height;
    this.frames = models.map(() => new Float32Array(size));
  }

  async reset(sims: readonly PolicySimulation[], slots: readonly number[]): Promise<Uint8Array[]> {
    const { models, renderer } = this.options;
    const truth = await renderer.render(sims.map((s) => ({ pose: s.pose, objects: [] })));
    return sims.map((sim, i) => {
      const model = models[slots[i]!]!;
      const { width: W, height: H } = model;
      const frame = rgbToFrame(truth[i]!, W, H);
      const depth = Float32Array.from(sim.renderDepth());
      // The newest start frame is the view at the spawn pose: it seeds the spatial memory (after
      // the survey, when there is one, so it is the newest keyframe). The noise sequence follows
      // the episode seed, so an episode is the same in any slot.
      const start = { pose: { ...sim.pose }, depth };
      const frames = Array.from({ length: model.contextFrames }, () => frame);
      model.reset(frames, undefined, [start], sim.seed, undefined, this.options.survey ?? undefined);
      return this.overlay(truth[i]!, sim);
    });
  }

  async step(sims: readonly PolicySimulation[], slots: readonly number[]): Promise<Uint8Array[]> {
    const { models } = this.options;
    let t0 = performance.now();
    for (const sim of sims) sim.renderDepth();
    let t1 = performance.now();
    this.lastMs.depth = t1 - t0;
    const painted = await WorldModel.stepMany(
      slots.map((s) => models[s]!),
      sims.map((s) => s.action),
      sims.map((s) => ({ view: { pose: s.pose, depth: s.depth } })),
      slots.map((s) => this.frames[s]!),
    );
    t0 = performance.now();
    this.lastMs.model = t0 - t1;
    const images = sims.map((sim, i) => this.overlay(frameToRgbBytes(painted[i]!, new Uint8Array(3 * sim.width * sim.height)), sim));
    t1 = performance.now();
    this.lastMs.overlay = t1 - t0;
    return images;
  }

  /** Draw the balls into `rgb` in place (it is the observation's own array). */
  private overlay(rgb: Uint8Array, sim: PolicySimulation): Uint8Array {
    const balls = sim.objects.filter((o) => o.kind === 'ball');
    return drawSphereOverlays(rgb, sim.width, sim.height, this.options.camera, sim.pose, sim.depth, balls, this.options.lighting);
  }

  async close(): Promise<void> {
    const { models, ownedParent, renderer, ownsRenderer } = this.options;
    for (const model of models) await model.dispose();
    await ownedParent?.dispose();
    if (ownsRenderer) await renderer.close();
  }
}
