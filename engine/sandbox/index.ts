// nextframe/sandbox — the policy sandbox (Node): the world model, or Three.js in headless
// Chromium, as a Gymnasium-style environment for image-based policies, with physics and tasks.
// Other areas of engine/ import the sandbox only through this file.

// Environments.
export { createPolicyEnv, type SinglePolicyEnv } from './createPolicyEnv.ts';
export { createVectorPolicyEnv, type PolicyEnvOptions, type VectorPolicyEnvOptions } from './createVectorPolicyEnv.ts';
export { PolicyVectorEnv } from './PolicyVectorEnv.ts';
export { PolicySimulation, type PolicySimulationOptions, type SimObject } from './PolicySimulation.ts';
export { GroundTruthRenderer, type GroundTruthRendererOptions, type GroundTruthRequest } from './groundtruth/GroundTruthRenderer.ts';
export { measureVectorThroughput, type ThroughputReport, type ThroughputResult, type VectorThroughputOptions } from './measureVectorThroughput.ts';
export type { Observation, ObservationSource, Policy, PolicyAction, PolicyEnv, Proprioception, StepInfo, StepResult, VectorPolicyEnv } from './types.ts';

// Tasks.
export { createTask, TASKS } from './tasks/createTask.ts';
export type { PolicyTask, TaskEpisode, TaskState, TaskStatus, TaskTarget } from './tasks/PolicyTask.ts';
export { pushTask, type PushTaskOptions } from './tasks/pushTask.ts';
export { reachTask, type ReachTaskOptions } from './tasks/reachTask.ts';
export { waypointsTask, type WaypointsTaskOptions } from './tasks/waypointsTask.ts';
export { distanceToLandmark, landmarkTarget, PILLARS, type LandmarkTarget } from './tasks/landmarkTargets.ts';

// Policies and their evaluation.
export { BUILTIN_POLICIES, builtinPolicy, userPolicy, type BuiltinPolicy } from './evaluation/builtinPolicies.ts';
export { evaluatePolicies, type EvaluationOptions, type EvaluationReport, type PolicyEntry } from './evaluation/evaluatePolicies.ts';
export { htmlReport } from './evaluation/htmlReport.ts';
export { recordDemonstrations, type DemonstrationSummary, type RecordDemonstrationsOptions } from './policies/recordDemonstrations.ts';
export { scenePalette } from './policies/scenePalette.ts';
export { BcCnnPolicy, type BcCnnPolicyOptions } from './policies/BcCnnPolicy.ts';
export { ColourServoPolicy, type ColourServoOptions } from './policies/ColourServoPolicy.ts';
export { RandomPolicy, type RandomPolicyOptions } from './policies/RandomPolicy.ts';
export { VisualNavigatorPolicy, type VisualNavigatorOptions } from './policies/VisualNavigatorPolicy.ts';
export { httpPolicy, type HttpPolicyOptions } from './policies/httpPolicy.ts';
