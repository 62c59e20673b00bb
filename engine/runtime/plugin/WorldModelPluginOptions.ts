import type { PerspectiveCamera, Scene, WebGLRenderer } from 'three';
import type { SpeculativeSchedulerOptions, WorldModel } from '../../../worldmodel/index.ts';
import type { PlayerInput } from '../input/PlayerInput.ts';
import type { CharacterControllerOptions } from '../physics/CharacterController.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { RapierModule } from '../physics/rapierTypes.ts';
import type { Fit, ViewMode } from '../render/layoutViews.ts';
import type { SpawnPoint } from '../scene/spawnPose.ts';
import type { DisplayPolicy } from './ModelRunner.ts';
import type { ThrowOptions } from './OverlaySet.ts';
import type { SceneIdentity } from './sceneMismatch.ts';

/** What `new WorldModelPlugin(…)` takes: the game's Three.js parts, the model, and how to play. */
export interface WorldModelPluginOptions {
  renderer: WebGLRenderer;
  scene: Scene;
  /** The player's camera. The plugin drives it: the model's intrinsics, the player's pose. */
  camera: PerspectiveCamera;
  /** A loaded world model; it stays the caller's (dispose it yourself after the plugin). */
  model: WorldModel;
  /** Rapier after `await RAPIER.init()`. */
  rapier: RapierModule;
  /** A physics world whose static colliders already are the proxy geometry (e.g. from `buildPhysicsWorld`). Default: a new world the plugin owns, filled by `markProxy`. */
  physics?: PhysicsWorld;
  /** Where the player starts (feet on the floor). Default: under the camera, facing where it faces. */
  spawn?: SpawnPoint;
  character?: CharacterControllerOptions;
  /** Input: a `PlayerInput` you made (kept yours), false for none (set `intent` yourself), or by default one on the canvas that the plugin owns. */
  input?: PlayerInput | false;
  /** What the screen shows. Default `model`. */
  view?: ViewMode;
  /** Default `contain`. */
  fit?: Fit;
  /** Upscaling of the world frame (when no display frame is shown). Default `bicubic`. */
  filter?: 'bicubic' | 'bilinear';
  /**
   * For a model with a display upsampler (`loadCachedModel`'s `display`, `WorldModelOptions.display`):
   * what the screen shows. `auto` (default): its display frames (e.g. 256 × 256 for a 64 × 64 model),
   * stepping down to bicubic (the model's frame stretched, no display frame made) when the model's
   * frame and the display frame stop fitting in 0.8 of a tick, two ticks in a row (after the first
   * eight), and back up after ten ticks with a quarter to spare (`{ mode: 'auto', governor: { … } }` tunes it; the `display`
   * event and `stats.displaySteppedDown` say so); `learned`: its display frames always; `bicubic`:
   * never (no display frame is made). A model without one always shows bicubic.
   */
  display?: DisplayPolicy;
  /** The world view split: the bicubic stretch of the model's frame on the left, the display frame on the right (`displaySplit`). Default false. */
  displaySplit?: boolean;
  /** Throwing balls from the camera (click, T, the touch or gamepad button), or false. */
  throwing?: ThrowOptions | false;
  /** Capture the ground-truth view for every world frame (`FrameEvent.truth`); one render and read-back per tick. Default false. */
  captureTruth?: boolean;
  /**
   * Keep the spatial-memory stream the model is given for every world frame (`FrameEvent.memory`,
   * `shownMemory`), for models with memory; one 4·H·W copy per tick. It is kept anyway
   * while the view is `memory`. Default false.
   */
  captureMemory?: boolean;
  /**
   * Hold play while the page is hidden (another tab, a minimised window): no physics steps, ticks
   * or model runs, and on return play goes on where it was instead of catching up the time away.
   * Default true.
   */
  pauseWhenHidden?: boolean;
  /**
   * When a model run fails because its device was lost (`device-lost`: the WebGPU device went
   * away) or its inference worker died (`worker-lost`, a `WorkerSession`), make the session again on WASM and play on with the same history and memory (the
   * `fallback` event says so) instead of stopping with an `error`. Default true.
   */
  fallbackOnDeviceLoss?: boolean;
  /** Called with the camera before every draw and ground-truth capture (e.g. to keep a sky dome centred on it). */
  onBeforeRender?: (camera: PerspectiveCamera) => void;
  /**
   * Speculative sampling (`ModelRunner`'s). Default `'auto'` on every backend: the model's runs
   * are timed and off, single- or multi-branch (up to 16 candidates, 2 ticks ahead) is chosen to
   * fit the tick and the page's frame budget, moving as load changes (`stats.speculationMode`
   * says what it chose). `{ mode: 'auto', branches: 32 }` raises its ceiling; a fixed mode:
   * `{ mode: 'multi' }` (16 candidates, 12 frames a tick), `{ mode: 'single', lookahead: 1, budget: 1 }`
   * (the gentlest), `{ mode: 'off' }`.
   */
  speculation?: SpeculativeSchedulerOptions | 'auto';
  /**
   * The scene being played (`loadScene` gives both): when the model was trained on another one
   * (its manifest's `training.scene`), or this is not given and the model knows its scene, the
   * plugin warns on the console and `sceneWarning` says why.
   */
  world?: SceneIdentity;
  /**
   * Walk the site first, for a model with spatial memory: at the start (and every restart) the
   * plug-in renders your scene from the start position turned through evenly spaced headings
   * (`true`: 8, 45° apart; the view is 70° wide) and the model remembers those real views, so the
   * world behind and beside the player is your scene's, not the model's guess, when it first comes
   * into view. Costs headings − 1 extra renders of the scene at each start. Default false.
   */
  survey?: boolean | { headings?: number };
}
