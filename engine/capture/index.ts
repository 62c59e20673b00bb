// Node-only API of nextframe/engine: dataset folders on disk and the headless recorder driver
// (vite + Chromium). Kept apart from engine/index.ts so browser bundles never see node:*.
export { checkDataset, checkEpisodeDir, listEpisodes, readEpisode, readEpisodeFiles, writeEpisode, type DatasetReport, type Episode } from './dataset/episodeFiles.ts';
export { writeEpisodeSheet, type EpisodeSheetOptions } from './dataset/episodeSheet.ts';
export { CHROMIUM_FLAGS, chromiumPath, launchChromium } from './recorder/chromium.ts';
export { recordDataset, type RecordOptions, type RecordSummary } from './recorder/recordDataset.ts';
export { recordReplays, type RecordReplaysOptions, type ReplayEpisode } from './recorder/recordReplays.ts';
export { episodeUploads, saveEpisodeTar } from './recorder/episodeUploads.ts';
export { loadSceneLayout } from './recorder/loadSceneLayout.ts';
export { BUILTIN_WORLDS, resolveSceneSource, type SceneSource } from './recorder/sceneSource.ts';
export { freePort, startRecorderServer } from './recorder/recorderServer.ts';

// Policy evaluation: the world model (or Three.js in headless Chromium) as a Gymnasium-style
// environment for image-based policies, physics and tasks in Node.
export { createPolicyEnv, type SinglePolicyEnv } from '../sandbox/createPolicyEnv.ts';
export { createVectorPolicyEnv, type PolicyEnvOptions, type VectorPolicyEnvOptions } from '../sandbox/createVectorPolicyEnv.ts';
export { GroundTruthRenderer, type GroundTruthRendererOptions, type GroundTruthRequest } from '../sandbox/groundtruth/GroundTruthRenderer.ts';
export { measureVectorThroughput, type ThroughputReport, type ThroughputResult, type VectorThroughputOptions } from '../sandbox/measureVectorThroughput.ts';
export { PolicySimulation, type PolicySimulationOptions, type SimObject } from '../sandbox/PolicySimulation.ts';
export { PolicyVectorEnv } from '../sandbox/PolicyVectorEnv.ts';
export { createTask, TASKS } from '../sandbox/tasks/createTask.ts';
export { distanceToLandmark, landmarkTarget, PILLARS, type LandmarkTarget } from '../sandbox/tasks/landmarkTargets.ts';
export type { PolicyTask, TaskEpisode, TaskState, TaskStatus, TaskTarget } from '../sandbox/tasks/PolicyTask.ts';
export { pushTask, type PushTaskOptions } from '../sandbox/tasks/pushTask.ts';
export { reachTask, type ReachTaskOptions } from '../sandbox/tasks/reachTask.ts';
export { waypointsTask, type WaypointsTaskOptions } from '../sandbox/tasks/waypointsTask.ts';
export type { Observation, ObservationSource, Policy, PolicyAction, PolicyEnv, Proprioception, StepInfo, StepResult, VectorPolicyEnv } from '../sandbox/types.ts';
