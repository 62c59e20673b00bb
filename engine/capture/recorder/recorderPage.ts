// The browser half of `nextframe record`: builds the scene once, then records episodes on
// request from the Node driver (page.evaluate), handing arrays back as base64.
import RAPIER from '@dimforge/rapier3d-compat';
import type { ReplayScript } from '../players/ReplayPlayer.ts';
import { loadScene, type SceneLayout } from '../../runtime/index.ts';
import { bytesToBase64, viewBytes } from '../../../worldmodel/dataset/base64.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { EpisodeRecorder } from './EpisodeRecorder.ts';
import { type PreviewOptions, type ScenePreview, ScenePreviewer } from './ScenePreviewer.ts';

export interface RecorderOpenOptions {
  /** URL of the scene module, as the page imports it (`/demos/worlds/arena.ts`, `/@fs/…`). */
  scene: string;
  /** Scene id when the module gives none (its file name). */
  sceneId: string;
  sceneSeed: number;
  width: number;
  height: number;
  supersample?: number;
  /** Also record the truth at this size (a multiple ≥ 2 of width × height); default none. */
  display?: { width: number; height: number } | null;
}

export interface EncodedChunk {
  ticks: number;
  frames: string;
  depth: string;
  poses: string;
  actions: string;
  /** Display frames, base64; empty without a display size. */
  display: string;
  ms: { physics: number; render: number; readback: number; depth: number };
}

export interface RecorderOpened {
  renderer: string;
  camera: { fovYDegrees: number; aspect: number; near: number; far: number };
  /** The scene as built: its id, content hash and colliders (Node tools plan paths on them). */
  scene: { id: string; hash: string; layout: SceneLayout };
}

export interface RecorderPageApi {
  open(options: RecorderOpenOptions): Promise<RecorderOpened>;
  /**
   * Start an episode of the named scripted player, or of `replay`'s intents from its start pose,
   * with the player's eyes `eyeHeight` metres above the floor (default 1.6).
   */
  begin(seed: number, policy: string, replay?: ReplayScript | null, eyeHeight?: number): void;
  record(ticks: number): EncodedChunk;
  end(): void;
  close(): void;
  /** Whether a recorder is open, and what its render includes. */
  state(): { open: boolean; overlaysVisible: boolean | null; shadows: boolean | null };
  /** Build one seed of a scene module and draw one view of it, freeing it after (`nextframe worlds`); independent of `open`. */
  preview(options: PreviewOptions): Promise<ScenePreview>;
}

let recorder: EpisodeRecorder | null = null;
let previewer: ScenePreviewer | null = null;

const api: RecorderPageApi = {
  async open(options) {
    recorder?.dispose();
    recorder = null;
    let module: unknown;
    try {
      module = await import(/* @vite-ignore */ options.scene);
    } catch (error) {
      throw new NextframeError('bad-scene', `recorder: could not import the scene module ${options.scene}: ${(error as Error).message}. Check that the file loads in a browser (no Node-only imports, no syntax errors).`, { cause: error });
    }
    const scene = await loadScene(module, { seed: options.sceneSeed, id: options.sceneId, source: options.scene });
    const canvas = document.createElement('canvas');
    document.body.append(canvas);
    recorder = new EpisodeRecorder({ rapier: RAPIER, scene, width: options.width, height: options.height, canvas, ...(options.supersample ? { supersample: options.supersample } : {}), ...(options.display ? { display: options.display } : {}) });
    return { renderer: recorder.gpuName, camera: recorder.intrinsics, scene: { id: scene.id, hash: scene.hash, layout: scene.layout } };
  },
  begin(seed, policy, replay, eyeHeight) {
    live().begin(seed, policy, replay ?? undefined, eyeHeight);
  },
  record(ticks) {
    const chunk = live().record(ticks);
    return {
      ticks: chunk.ticks,
      frames: bytesToBase64(chunk.frames),
      depth: bytesToBase64(viewBytes(chunk.depth)),
      poses: bytesToBase64(viewBytes(chunk.poses)),
      actions: bytesToBase64(viewBytes(chunk.actions)),
      display: bytesToBase64(chunk.display),
      ms: chunk.ms,
    };
  },
  end() {
    recorder?.end();
  },
  close() {
    recorder?.dispose();
    recorder = null;
  },
  state() {
    const s = recorder?.state;
    return { open: recorder !== null, overlaysVisible: s?.overlaysVisible ?? null, shadows: s?.shadows ?? null };
  },
  preview(options) {
    previewer ??= new ScenePreviewer(RAPIER);
    return previewer.preview(options);
  },
};

function live(): EpisodeRecorder {
  if (!recorder) throw new NextframeError('not-ready', 'recorder: call open() first.');
  return recorder;
}

await RAPIER.init();
(window as unknown as { nextframeRecorder: RecorderPageApi }).nextframeRecorder = api;
document.body.dataset.ready = 'true';
