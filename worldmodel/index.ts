// The public API of nextframe/worldmodel: the core that runs in Node and the browser.
// No three, no DOM, no Rapier below this line.
export { ActionCodec, type ActionInput } from './ActionCodec.ts';
export { assertModelIO, modelIOMismatches } from './checkModelIO.ts';
export { bicubicUpsample } from './bicubicUpsample.ts';
export { BicubicUpsampler, type BicubicUpsamplerOptions } from './BicubicUpsampler.ts';
export { DiffusionSampler, type Denoise, type DiffusionSamplerOptions } from './DiffusionSampler.ts';
export { assertDisplayInputs, type DisplayInputs, type DisplayUpsampler } from './DisplayUpsampler.ts';
export { NextframeError } from './errors.ts';
export { DISPLAY_DETAIL_RANGE, DISPLAY_PSNR_MARGIN_DB, displayBars, evaluateDisplay, FLICKER_STILL_LEVELS, type DisplayBar, type DisplayEvalOptions, type DisplayReport, type DisplayRolloutFrames, type DisplaySample } from './evaluateDisplay.ts';
export { episodeAction, episodeFrame, episodeView, evaluateFidelity, type EvalEpisode, type FidelityOptions, type FidelityReport } from './evaluateFidelity.ts';
export { evaluateLongRollout, type LongRolloutOptions, type LongRolloutReport, type LongRolloutWindow } from './evaluateLongRollout.ts';
export { actionFromPoses } from './geometry/actionFromPoses.ts';
export { cameraForward } from './geometry/cameraForward.ts';
export { headingAxes, headingError, headingTo, type HeadingAxes } from './geometry/heading.ts';
export { imagePlane, pixelRays, pixelU, pixelV, rayX, rayY, type CameraIntrinsics, type ImagePlane, type PinholeCamera } from './geometry/PinholeCamera.ts';
export { angleGap, copyPose, wrapAngle, type Pose, type XYZ } from './geometry/Pose.ts';
export { poseAfterAction, type PoseDelta } from './geometry/poseAfterAction.ts';
export { cameraDirectionToWorld, cameraToWorld, poseTransform, worldDirectionToCamera, worldToCamera, type PoseTransform } from './geometry/PoseTransform.ts';
export { projectPoint } from './geometry/projectPoint.ts';
export { projectPoints, type PointArrays, type Projections } from './geometry/projectPoints.ts';
export { FrameHistory, type FrameHistoryOptions } from './FrameHistory.ts';
export { assertFrame, frameToRGBA, frameToRgbBytes, rgbaToFrame, rgbToFrame } from './frames.ts';
export { assertOnnxBytes, loadBytes, resolveLocation, type ProgressCallback } from './loadBytes.ts';
export { assertModelDigest, modelDigestMatches, sha256Hex } from './modelDigest.ts';
export { LearnedUpsampler, type LearnedUpsamplerOptions } from './LearnedUpsampler.ts';
export { loadManifest } from './loadManifest.ts';
export {
  manifestSchema,
  type ActionSlot,
  type ConditioningStream,
  type ModelManifest,
  type SamplerDefaults,
  type TensorSpec,
} from './manifestSchema.ts';
export type { ModelSession, SessionFactory } from './ModelSession.ts';
export { OrtSession, type Backend, type Device, type Feed, type Fetched, type OrtSessionOptions, type TensorInfo } from './OrtSession.ts';
export { gradientEnergy, maskedPsnr, median, psnr, psnrFromMse, PSNR_CAP_DB, ssim } from './metrics.ts';
export { parseManifest } from './parseManifest.ts';
export { parseUpsamplerManifest, upsamplerManifestSchema, upsamplerTensors, type UpsamplerManifest } from './parseUpsamplerManifest.ts';
export { SeededRandom } from './SeededRandom.ts';
export { buildSigmas, edmCoefficients } from './sigmas.ts';
export { DEFAULT_MEMORY_OPTIONS, SpatialMemory, type MemoryChannel, type ObjectSource, type SpatialMemoryOptions } from './SpatialMemory.ts';
export { fitActionPrior } from './fitActionPrior.ts';
export { HUMAN_PLAY_PRIOR, NextActionPredictor, type ActionCandidate, type ActionPrior, type NextActionPredictorOptions } from './NextActionPredictor.ts';
export { SpeculationGovernor, type SpeculationGovernorOptions, type SpeculationMode, type SpeculationSetting } from './SpeculationGovernor.ts';
export { SpeculativeScheduler, type SpeculationConditioning, type SpeculationStats, type SpeculativeSchedulerOptions, type TickResult } from './SpeculativeScheduler.ts';
export { warpDisplayStep, warpFrame, warpStep } from './warpFrame.ts';
export { WorldModel, type BranchRequest, type Conditioning, type SpeculatedFrame, type Survey, type View, type WorldModelOptions } from './WorldModel.ts';
