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
  type RampShape,
  type SceneDescription,
  type SceneLighting,
  type SceneMaterial,
  type SpawnArea,
  type SphereShape,
  type StaticShape,
  type Vec3,
} from './scene/SceneDescription.ts';
export { rampVertices, yawQuaternion } from './scene/shapeGeometry.ts';
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
export { actionStats, formatStats, mergeStats, type ActionStats } from './players/actionStats.ts';
export { createPlayer, PLAYERS } from './players/createPlayer.ts';
export { ExplorePlayer } from './players/ExplorePlayer.ts';
export { cameraBinToDegrees, nativeTraceStats, parseTrace, traceStats, traceToBins, type TraceRow } from './players/humanTraces.ts';
export { landmarksOf, type Landmark } from './players/landmarks.ts';
export type { PlayerObservation, ScriptedPlayer } from './players/ScriptedPlayer.ts';
export { headingTo, SegmentPlayer, type PlayerStyle, type Segment } from './players/SegmentPlayer.ts';
export { WanderPlayer } from './players/WanderPlayer.ts';

// Recording (browser side).
export { EpisodeRecorder, type EpisodeRecorderOptions, type RecordedChunk } from './recorder/EpisodeRecorder.ts';
export { EpisodeSimulator, type EpisodeSimulatorOptions } from './recorder/EpisodeSimulator.ts';
