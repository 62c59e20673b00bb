// nextframe/engine — the runtime a Three.js game imports. Browser-safe: nothing below imports
// node:*. Capture (recording datasets) is nextframe/capture, the policy sandbox is
// nextframe/sandbox, the react-three-fiber binding is nextframe/r3f; the CLI and benchmarks are
// never exported. The other areas of engine/ import the runtime only through this file.

// The plug-in: add a world model to a Three.js scene, and its events.
export { WorldModelPlugin } from './plugin/WorldModelPlugin.ts';
export type { WorldModelPluginOptions } from './plugin/WorldModelPluginOptions.ts';
export { PlayerLoop, type IntentSource, type PlayerLoopOptions } from './plugin/PlayerLoop.ts';
export type { DisplayEvent, FallbackEvent, FrameEvent, MemoryState, StatsEvent, WorldModelPluginEvents } from './plugin/pluginEvents.ts';
export type { DisplayPolicy } from './plugin/ModelRunner.ts';
export { Emitter, type Listener } from './plugin/Emitter.ts';
export { OverlaySet, type Overlay, type ThrowOptions } from './plugin/OverlaySet.ts';
export { EPISODE_UPLOAD_PATH, EpisodeCapture, saveRecording, type EpisodeCaptureOptions } from './plugin/EpisodeCapture.ts';
export { sceneMismatch, type SceneIdentity } from './plugin/sceneMismatch.ts';
export { DisplayGovernor, type DisplayGovernorOptions } from './plugin/DisplayGovernor.ts';

// Model loading and caching, and the device it runs on.
export { WorkerSession } from './plugin/WorkerSession.ts';
export { loadCachedModel, type DisplaySource, type LoadCachedModelOptions, type LoadedDisplay, type LoadedModel } from './plugin/loadCachedModel.ts';
export { loadCachedUpsampler, type LoadCachedUpsamplerOptions, type LoadedUpsampler } from './plugin/loadCachedUpsampler.ts';
export type { ModelCacheOptions } from './plugin/cachedModelBytes.ts';
export { chooseDevice, type DeviceChoice } from './plugin/chooseDevice.ts';

// Scenes: a scene module (createScene → three scene + proxies) or a plain-data layout, built
// into Three.js and Rapier; where the player may stand.
export { checkSceneResult, sceneFactory, type CreateScene, type SceneModuleResult, type SceneOptions } from './scene/SceneModule.ts';
export { loadScene, type LoadedScene, type LoadSceneOptions } from './scene/loadScene.ts';
export { layoutFromScene } from './scene/layoutFromScene.ts';
export { buildThreeScene, type BuildThreeSceneOptions } from './scene/buildThreeScene.ts';
export { buildPhysicsWorld } from './scene/buildPhysicsWorld.ts';
export { ThreeScene, type ThreeSceneParts } from './scene/ThreeScene.ts';
export { ARENA_MATERIALS, arenaScene, SCENES } from './scene/arenaScene.ts';
export { findSpawnPoint, spawnPointFor } from './scene/findSpawnPoint.ts';
export { isClear, standingObstacles } from './scene/spawnPose.ts';
export { pickSpawnPoint, type SpawnPoint } from './scene/spawnPose.ts';
export { surfaceProbe, WALKABLE_NORMAL_Y } from './scene/surfaceProbe.ts';
export { fnv1a64, sceneFingerprint } from './scene/sceneFingerprint.ts';
export {
  footprint,
  type BoxShape,
  type ConeShape,
  type CylinderShape,
  type DynamicObject,
  type MeshShape,
  type RampShape,
  type SceneDescription,
  type SceneLayout,
  type SceneLighting,
  type SceneMaterial,
  type SpawnArea,
  type SpawnRect,
  type SphereShape,
  type StaticShape,
  type Vec3,
} from './scene/SceneDescription.ts';

// Physics: the fixed-step Rapier world, the player's character controller, proxy depth.
export { FIXED_STEP, PhysicsWorld, type DynamicBody } from './physics/PhysicsWorld.ts';
export { CharacterController, IDLE_INTENT, type CharacterControllerOptions, type Intent } from './physics/CharacterController.ts';
export { ProxyDepth, type ProxyDepthOptions } from './physics/ProxyDepth.ts';
export type { RapierModule } from './physics/rapierTypes.ts';

// Input: keyboard, mouse look, touch joysticks and gamepads → intent.
export { PlayerInput, type PlayerInputOptions } from './input/PlayerInput.ts';
export { DEFAULT_GAMEPAD_BINDINGS, DEFAULT_KEY_BINDINGS, INPUT_ACTIONS, type GamepadBindings, type InputAction, type KeyBindings } from './input/Bindings.ts';
export { DEFAULT_LOOK, type InputSnapshot, type LookSettings } from './input/intentFromInput.ts';
export { TouchJoysticks, isTouchDevice, type TouchJoysticksOptions } from './input/TouchJoysticks.ts';

// Rendering: the world frame behind depth-tested overlays, views, and the ground-truth render.
export { WorldCompositor, type CompositeRequest, type DisplayPath, type WorldCompositorOptions } from './render/WorldCompositor.ts';
export { DynamicResolution, type DynamicResolutionOptions } from './render/DynamicResolution.ts';
export { layoutViews, type Rect, type ViewLayout, type ViewMode } from './render/layoutViews.ts';
// The one ground-truth render and read-back: training frames, the sandbox's ground truth, truth frames.
export { TruthCapture, type TruthCaptureOptions } from './render/TruthCapture.ts';

// Geometry every host shares lives in the core; re-exported for games that import only this entry.
export { actionFromPoses, cameraForward, copyPose, headingTo, poseAfterAction, wrapAngle, type CameraIntrinsics, type Pose } from '../../worldmodel/index.ts';
