// The dataset format: plain .npy arrays plus meta.json per episode. Pure TypeScript, loads anywhere.
export { ACTION, DEFAULT_ACTION_SLOTS, DEFAULT_CAMERA, POSE_SIZE } from './actionLayout.ts';
export {
  checkEpisode,
  DISPLAY_FILE,
  DISPLAY_TOLERANCE,
  EPISODE_FILES,
  EPISODE_FORMAT,
  EPISODE_FORMAT_VERSION,
  episodeDirName,
  episodeMeta,
  episodeMetaSchema,
  type Episode,
  type EpisodeFiles,
  type EpisodeMeta,
  type EpisodeVerdict,
} from './episode.ts';
export {
  encodeNpy,
  float16ToFloat32,
  float32ToFloat16,
  fromFloat16Array,
  npyHeader,
  parseNpy,
  shapeSize,
  toFloat16Array,
  type NpyArray,
  type NpyData,
  type NpyDtype,
} from './npy.ts';
export { episodeFileList, tarFiles, untarFiles, type EpisodeFile } from './episodeArchive.ts';
export { boxDownsampleRgb } from './boxDownsample.ts';
export { base64ToBytes, bytesToBase64, viewBytes } from './base64.ts';
