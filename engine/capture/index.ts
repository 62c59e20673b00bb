// nextframe/capture — recording training data (Node): scripted players, the headless recorder
// driver (vite + Chromium, optional peers: `npm install -D vite playwright-core`), and dataset
// folders on disk. A game's own record mode is in nextframe/engine (`startRecording`). Other
// areas of engine/ import capture only through this file.

// Recording datasets: scripted players or replayed human traces, in any scene module.
export { recordDataset, type RecordOptions, type RecordingSettings, type RecordSummary } from './recorder/recordDataset.ts';
export { recordReplays, type RecordReplaysOptions, type ReplayEpisode } from './recorder/recordReplays.ts';
export { BUILTIN_WORLDS, resolveSceneSource, type SceneSource } from './recorder/sceneSource.ts';
export { loadSceneLayout, type SceneLayoutInfo } from './recorder/loadSceneLayout.ts';
export type { ScenePreview } from './recorder/ScenePreviewer.ts';
export { episodeUploads, saveEpisodeTar } from './recorder/episodeUploads.ts';
export { EpisodeSimulator, type EpisodeSimulatorOptions } from './recorder/EpisodeSimulator.ts';

// Headless Chromium and the page server the recorder (and the sandbox's ground truth) use.
export { callPageApi, CHROMIUM_FLAGS, chromiumPath, launchChromium, openReadyPage } from './recorder/chromium.ts';
export { freePort, startRecorderServer } from './recorder/recorderServer.ts';

// Scripted players, and how their actions compare with people's.
export { createPlayer, PLAYERS } from './players/createPlayer.ts';
export type { PlayerObservation, ScriptedPlayer } from './players/ScriptedPlayer.ts';
export { SegmentPlayer, type PlayerStyle, type Segment } from './players/SegmentPlayer.ts';
export { ExplorePlayer } from './players/ExplorePlayer.ts';
export { WanderPlayer } from './players/WanderPlayer.ts';
export { ReplayPlayer, type ReplayScript } from './players/ReplayPlayer.ts';
export { landmarksOf, type Landmark } from './players/landmarks.ts';
export { actionStats, formatStats, mergeStats, type ActionStats } from './players/actionStats.ts';
export { cameraBinToDegrees, nativeTraceStats, parseTrace, traceStats, traceToBins, type TraceRow } from './players/humanTraces.ts';

// Dataset folders on disk.
export { checkDataset, checkEpisodeDir, listEpisodes, readEpisode, readEpisodeFiles, writeEpisode, type DatasetReport, type Episode } from './dataset/episodeFiles.ts';
export { writeEpisodeSheet, type EpisodeSheetOptions } from './dataset/episodeSheet.ts';
export { loadEvalEpisodes } from './dataset/loadEvalEpisodes.ts';
