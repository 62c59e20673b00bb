import RAPIER from '@dimforge/rapier3d-compat';
import { loadManifest } from '../../worldmodel/loadManifest.ts';
import type { ModelManifest } from '../../worldmodel/manifestSchema.ts';
import { WorldModel, type WorldModelOptions } from '../../worldmodel/WorldModel.ts';
import { NextframeError } from '../../worldmodel/index.ts';
import { type CameraIntrinsics, type CharacterControllerOptions, type RapierModule, type SceneDescription, SCENES } from '../runtime/index.ts';
import { GroundTruthObserver } from './GroundTruthObserver.ts';
import { GroundTruthRenderer } from './groundtruth/GroundTruthRenderer.ts';
import type { ObservationRenderer } from './ObservationRenderer.ts';
import { PolicySimulation } from './PolicySimulation.ts';
import { PolicyVectorEnv } from './PolicyVectorEnv.ts';
import { createTask } from './tasks/createTask.ts';
import type { PolicyTask } from './tasks/PolicyTask.ts';
import type { ObservationSource } from './types.ts';
import { renderSurvey, surveyPoses, type Survey, type SurveyOptions } from './surveyMemory.ts';
import { WorldModelObserver } from './WorldModelObserver.ts';

export interface PolicyEnvOptions {
  /**
   * The world model: a loaded model (forked per environment, so its own history is untouched;
   * the caller keeps and disposes it) or a model folder / manifest path (loaded and owned). The
   * ground-truth source uses only its manifest: resolution, camera, tick rate, action range.
   */
  model: WorldModel | string;
  /** `reach`, `push`, `waypoints`, or a task of your own. */
  task: string | PolicyTask;
  /** What the policy sees: frames painted by the world model, or Three.js renders of the scene. */
  observation: ObservationSource;
  /** Scene id. Default `arena`. */
  scene?: string;
  /** Scene layout seed. Default 0, the layout every recording (and so every model) uses. */
  sceneSeed?: number;
  /**
   * A ground-truth renderer to share (e.g. between a world-model and a ground-truth environment);
   * default: one launched for this environment and closed with it. The world-model source needs
   * it too, for the K start frames of each episode.
   */
  renderer?: GroundTruthRenderer;
  /** Rapier, already initialised; default `@dimforge/rapier3d-compat`, initialised here. */
  rapier?: RapierModule;
  controller?: CharacterControllerOptions;
  /** Options for loading `model` by path (threads, sampler steps). */
  modelOptions?: WorldModelOptions;
  /** Ground-truth supersampling (as recorded). Default 2. */
  supersample?: number;
  /**
   * World-model source: start every episode's spatial memory with a survey of the scene (real
   * views from a grid of standing points, `surveyPoses`), as a robot team would walk a site once
   * before simulating it. `false`: memory starts from the episode's start frame alone. Default true.
   */
  survey?: boolean | SurveyOptions;
}

export interface VectorPolicyEnvOptions extends PolicyEnvOptions {
  /** Environments stepped together. */
  size: number;
}

/**
 * N environments of one task and source, stepped together: one physics world each, one batched
 * world-model run (or one page round trip of ground-truth renders) per tick for all of them.
 *
 * ```ts
 * const env = await createVectorPolicyEnv({ model: 'public/models/arena', task: 'reach', observation: 'worldmodel', size: 8 });
 * let observations = await env.reset([0, 1, 2, 3, 4, 5, 6, 7]);
 * const results = await env.step(observations.map((o) => policy.act(o)));
 * ```
 */
export async function createVectorPolicyEnv(options: VectorPolicyEnvOptions): Promise<PolicyVectorEnv> {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1) throw new NextframeError('bad-options', `createVectorPolicyEnv: size must be a positive integer, found ${size}.`);
  if (options.observation !== 'worldmodel' && options.observation !== 'groundtruth') {
    throw new NextframeError('bad-options', `createVectorPolicyEnv: observation must be "worldmodel" or "groundtruth", found ${JSON.stringify(options.observation)}.`);
  }
  const task = createTask(options.task);
  const sceneId = options.scene ?? 'arena';
  const makeScene = SCENES[sceneId];
  if (!makeScene) throw new NextframeError('bad-scene', `createVectorPolicyEnv: unknown scene "${sceneId}"; known: ${Object.keys(SCENES).join(', ')}.`);
  const sceneSeed = options.sceneSeed ?? 0;
  const scene = makeScene(sceneSeed);
  const rapier = options.rapier ?? (await initRapier());

  const owned: { model: WorldModel | null; renderer: GroundTruthRenderer | null } = { model: null, renderer: null };
  try {
    let manifest: ModelManifest;
    if (typeof options.model !== 'string') manifest = options.model.manifest;
    else if (options.observation === 'worldmodel') manifest = (owned.model = await WorldModel.load(options.model, options.modelOptions)).manifest;
    else ({ manifest } = await loadManifest(options.model));
    const { width, height } = manifest.resolution;
    const camera = { ...manifest.camera, aspect: width / height };
    const renderer = options.renderer ?? (owned.renderer = await GroundTruthRenderer.launch({ scene: sceneId, sceneSeed, width, height, camera, supersample: options.supersample ?? 2 }));
    if (renderer.width !== width || renderer.height !== height) {
      throw new NextframeError('bad-options', `createVectorPolicyEnv: the renderer draws ${renderer.width}×${renderer.height}, the model needs ${width}×${height}; launch it at the model's resolution.`);
    }
    const slot = (name: string): number => manifest.actions.find((a) => a.name === name)?.scale ?? Infinity;
    const sims = Array.from(
      { length: size },
      () =>
        new PolicySimulation({
          scene,
          rapier,
          task,
          width,
          height,
          camera,
          tickHz: manifest.tickHz,
          // Never turn faster than the model's action range can say.
          maxYawRate: slot('yaw') * manifest.tickHz,
          maxPitchRate: slot('pitch') * manifest.tickHz,
          ...(options.controller ? { controller: options.controller } : {}),
        }),
    );
    let observer: ObservationRenderer;
    if (options.observation === 'groundtruth') {
      observer = new GroundTruthObserver(renderer, owned.renderer !== null);
      await owned.model?.dispose();
    } else {
      const parent = owned.model ?? (options.model as WorldModel);
      const surveyOptions = options.survey ?? true;
      const survey = surveyOptions === false || !parent.memory ? null : await cachedSurvey(renderer, scene, sceneSeed, rapier, camera, surveyOptions === true ? {} : surveyOptions);
      // Room for the survey besides the memory's usual keyframes: its real views outrank every
      // painted one, so eviction takes painted frames first and the survey stays.
      const capacity = parent.memory ? parent.memory.options.capacity + (survey?.frames.length ?? 0) : undefined;
      observer = new WorldModelObserver({
        models: sims.map(() => parent.fork(capacity ? { memory: { ...parent.memory!.options, capacity } } : {})),
        renderer,
        ownsRenderer: owned.renderer !== null,
        ownedParent: owned.model,
        camera,
        lighting: scene.lighting,
        survey,
      });
    }
    return new PolicyVectorEnv(sims, observer, task);
  } catch (error) {
    await owned.model?.dispose();
    await owned.renderer?.close();
    throw error;
  }
}

// Surveys already rendered, per renderer: an evaluation makes an environment per policy, task
// and source, all of the same scene, and each survey is ~100 renders.
const surveys = new WeakMap<GroundTruthRenderer, Map<string, Promise<Survey>>>();

function cachedSurvey(renderer: GroundTruthRenderer, scene: SceneDescription, sceneSeed: number, rapier: RapierModule, camera: CameraIntrinsics, options: SurveyOptions): Promise<Survey> {
  const byKey = surveys.get(renderer) ?? new Map<string, Promise<Survey>>();
  surveys.set(renderer, byKey);
  const key = JSON.stringify([scene.id, sceneSeed, options]);
  let survey = byKey.get(key);
  if (!survey) {
    survey = renderSurvey(renderer, scene, rapier, camera, surveyPoses(scene, options));
    // A failed render is not remembered: the next environment tries again.
    survey.catch(() => byKey.delete(key));
    byKey.set(key, survey);
  }
  return survey;
}

let rapierReady: Promise<RapierModule> | null = null;

function initRapier(): Promise<RapierModule> {
  return (rapierReady ??= RAPIER.init().then(() => RAPIER));
}

/** Just the manifest of a model folder or manifest path (the ground-truth source needs no ONNX session). */
