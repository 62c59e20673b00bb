// The public API of nextframe/engine: the Three.js + Rapier host. Browser-safe: nothing here
// imports node:* (Node-only pieces — dataset files, the headless recorder driver — are in
// engine/node.ts).

// Scenes: one plain-data description drives the Three.js and Rapier builders.
export { ARENA_MATERIALS, arenaScene, SCENES } from './scene/arenaScene.ts';
export { buildPhysicsWorld } from './scene/buildPhysicsWorld.ts';
export { buildThreeScene, type BuildThreeSceneOptions } from './scene/buildThreeScene.ts';
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
export { rampVertices, yawQuaternion } from './scene/shapeGeometry.ts';
export { episodeFileList, tarFiles, untarFiles, type EpisodeFile } from '../../worldmodel/dataset/episodeArchive.ts';
export { findSpawnPoint, spawnPointFor } from './scene/findSpawnPoint.ts';
export { layoutFromScene } from './scene/layoutFromScene.ts';
export { loadScene, type LoadedScene, type LoadSceneOptions } from './scene/loadScene.ts';
export { fnv1a64, sceneFingerprint } from './scene/sceneFingerprint.ts';
export { checkSceneResult, sceneFactory, type CreateScene, type SceneModuleResult, type SceneOptions } from './scene/SceneModule.ts';
export { pickSpawnPoint, type SpawnPoint } from './scene/spawnPose.ts';
export { ThreeScene, type ThreeSceneParts } from './scene/ThreeScene.ts';

// Physics: fixed-step world, character controller, action vector, proxy depth.
export { actionFromPoses } from './physics/actionFromPoses.ts';
export { CharacterController, IDLE_INTENT, type CharacterControllerOptions, type Intent } from './physics/CharacterController.ts';
export { FIXED_STEP, PhysicsWorld, type DynamicBody } from './physics/PhysicsWorld.ts';
export { copyPose, wrapAngle, type Pose } from './physics/Pose.ts';
export { ProxyDepth, type CameraIntrinsics, type ProxyDepthOptions } from './physics/ProxyDepth.ts';
export type { RapierModule } from './physics/rapierTypes.ts';

// Scripted players and how their actions compare with people's.
export { actionStats, formatStats, mergeStats, type ActionStats } from '../capture/players/actionStats.ts';
export { createPlayer, PLAYERS } from '../capture/players/createPlayer.ts';
export { ExplorePlayer } from '../capture/players/ExplorePlayer.ts';
export { cameraBinToDegrees, nativeTraceStats, parseTrace, traceStats, traceToBins, type TraceRow } from '../capture/players/humanTraces.ts';
export { landmarksOf, type Landmark } from '../capture/players/landmarks.ts';
export type { PlayerObservation, ScriptedPlayer } from '../capture/players/ScriptedPlayer.ts';
export { headingTo, SegmentPlayer, type PlayerStyle, type Segment } from '../capture/players/SegmentPlayer.ts';
export { WanderPlayer } from '../capture/players/WanderPlayer.ts';

// Recording (browser side).
export { EpisodeRecorder, type EpisodeRecorderOptions, type RecordedChunk } from '../capture/recorder/EpisodeRecorder.ts';
export { EpisodeSimulator, type EpisodeSimulatorOptions } from '../capture/recorder/EpisodeSimulator.ts';

// Input: keyboard, mouse look, touch joysticks and gamepads → intent.
export { DEFAULT_GAMEPAD_BINDINGS, DEFAULT_KEY_BINDINGS, INPUT_ACTIONS, keyLookup, mergeKeyBindings, type GamepadBindings, type InputAction, type KeyBindings } from './input/Bindings.ts';
export { GamepadInput, type GamepadInputOptions, type GamepadLike } from './input/GamepadInput.ts';
export { DEFAULT_LOOK, deadzone, intentFromInput, mouseToLook, type InputSnapshot, type LookSettings } from './input/intentFromInput.ts';
export { KeyboardInput, type KeyboardInputOptions } from './input/KeyboardInput.ts';
export { PlayerInput, type PlayerInputOptions } from './input/PlayerInput.ts';
export { PointerLook, type PointerLookOptions } from './input/PointerLook.ts';
export { isTouchDevice, TouchJoysticks, type TouchJoysticksOptions } from './input/TouchJoysticks.ts';

// Rendering: the world frame upscaled behind depth-tested overlays; ground-truth capture.
export { DynamicResolution, type DynamicResolutionOptions } from './render/DynamicResolution.ts';
export { fitRect, layoutViews, type Fit, type Rect, type ViewLayout, type ViewMode } from './render/layoutViews.ts';
export { memoryToRGBA } from './render/memoryImage.ts';
export { TruthCapture, type TruthCaptureOptions } from './render/TruthCapture.ts';
export { WorldCompositor, type CompositeRequest, type WorldCompositorOptions } from './render/WorldCompositor.ts';

// The Three.js plug-in.
export { chooseDevice, type DeviceChoice } from './plugin/chooseDevice.ts';
export { Emitter, type Listener } from './plugin/Emitter.ts';
export { EPISODE_UPLOAD_PATH, EpisodeCapture, saveRecording, type EpisodeCaptureOptions } from './plugin/EpisodeCapture.ts';
export { loadCachedModel, type LoadCachedModelOptions, type LoadedModel } from './plugin/loadCachedModel.ts';
export { ModelRunner, type ModelRunnerOptions, type RunnerFrame } from './plugin/ModelRunner.ts';
export { OverlaySet, type Overlay, type ThrowOptions } from './plugin/OverlaySet.ts';
export type { FrameEvent, MemoryState, StatsEvent, WorldModelPluginEvents } from './plugin/pluginEvents.ts';
export { colliderForMesh, dynamicColliderForMesh, placementOf, type Placement } from './plugin/proxyColliders.ts';
export { sceneMismatch, type SceneIdentity } from './plugin/sceneMismatch.ts';
export { StatsWindow } from './plugin/StatsWindow.ts';
export { TickClock, type TickClockOptions, type TickHandler } from './plugin/TickClock.ts';
export { TurnLimiter, type TurnLimiterOptions } from './plugin/TurnLimiter.ts';
export { WorldModelPlugin, type WorldModelPluginOptions } from './plugin/WorldModelPlugin.ts';
