// Node-only API of nextframe/engine: dataset folders on disk and the headless recorder driver
// (vite + Chromium). Kept apart from engine/index.ts so browser bundles never see node:*.
export { checkDataset, checkEpisodeDir, listEpisodes, readEpisode, readEpisodeFiles, writeEpisode, type DatasetReport, type Episode } from './dataset/episodeFiles.ts';
export { writeEpisodeSheet, type EpisodeSheetOptions } from './dataset/episodeSheet.ts';
export { CHROMIUM_FLAGS, chromiumPath, launchChromium } from './recorder/chromium.ts';
export { recordDataset, type RecordOptions, type RecordSummary } from './recorder/recordDataset.ts';
export { recordReplays, type RecordReplaysOptions, type ReplayEpisode } from './recorder/recordReplays.ts';
export { freePort, startRecorderServer } from './recorder/recorderServer.ts';
