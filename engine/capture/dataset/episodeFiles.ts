import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEpisode, type Episode, type EpisodeFiles, type EpisodeMeta, type EpisodeVerdict, episodeMetaSchema } from '../../../worldmodel/dataset/episode.ts';
import { parseNpy, type NpyArray } from '../../../worldmodel/dataset/npy.ts';
import { episodeFileList } from '../../../worldmodel/dataset/episodeArchive.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

export type { Episode };

const ARRAYS = ['frames', 'depth', 'poses', 'actions', 'display'] as const; // display.npy: optional

/**
 * Write an episode folder. Arrays go first and `meta.json` last, all into `<dir>.partial`, which
 * is renamed into place at the end: a folder named `episode-…` is always complete.
 */
export function writeEpisode(dir: string, episode: Episode): number {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const files = episodeFileList(episode).map(({ name, bytes }) => [name, bytes] as const);
  let bytes = 0;
  for (const [name, data] of files) {
    writeFileSync(join(partial, name), data);
    bytes += data.length;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return bytes;
}

/**
 * Read an episode folder's files as found: missing or unparsable files are left out and
 * described in `problems`, so the checker can say what is wrong with a broken episode.
 */
export function readEpisodeFiles(dir: string): { files: EpisodeFiles; problems: string[] } {
  const files: EpisodeFiles = {};
  const problems: string[] = [];
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) {
    try {
      files.meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    } catch (error) {
      problems.push(`meta.json is not valid JSON (${(error as Error).message})`);
    }
  }
  for (const name of ARRAYS) {
    const path = join(dir, `${name}.npy`);
    if (!existsSync(path)) continue;
    try {
      files[name] = parseNpy(readFileSync(path));
    } catch (error) {
      problems.push(`${name}.npy cannot be read: ${(error as Error).message}`);
    }
  }
  return { files, problems };
}

/** Check one episode folder: the contract checks plus files that could not be read. */
export function checkEpisodeDir(dir: string): EpisodeVerdict {
  const { files, problems } = readEpisodeFiles(dir);
  const verdict = checkEpisode(files);
  // A file that failed to parse also shows up as "missing"; report the parse error instead.
  const unreadable = new Set(problems.map((p) => p.split(' ')[0]));
  const reasons = [...problems, ...(verdict.ok ? [] : verdict.reasons.filter((r) => !unreadable.has(r.split(' ')[0])))];
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Read a complete, valid episode; throws `readEpisode: …` with every reason otherwise. */
export function readEpisode(dir: string): Episode {
  const { files, problems } = readEpisodeFiles(dir);
  const verdict = checkEpisode(files);
  if (problems.length > 0 || !verdict.ok) {
    throw new NextframeError('bad-episode', `readEpisode: ${dir} is not a valid episode: ${[...problems, ...(verdict.ok ? [] : verdict.reasons)].join('; ')}. Record it again, or leave it out of the folder you read.`);
  }
  const array = (a: NpyArray | undefined): NpyArray => a!;
  return {
    meta: episodeMetaSchema.parse(files.meta),
    frames: array(files.frames).data as Uint8Array,
    depth: array(files.depth).data as Uint16Array,
    poses: array(files.poses).data as Float32Array,
    actions: array(files.actions).data as Float32Array,
    ...(files.display ? { display: files.display.data as Uint8Array } : {}),
  };
}

/** Episode folders under a dataset root (`episode-NNNNNN`), sorted by name. */
export function listEpisodes(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^episode-\d+$/.test(name) && statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => join(root, name));
}

export interface DatasetReport {
  root: string;
  episodes: { dir: string; ok: boolean; reasons: string[]; ticks: number; bytes: number; display: { width: number; height: number } | null }[];
  usable: number;
  refused: number;
  ticks: number;
  bytes: number;
  /** Usable episodes that have display frames (`display.npy`), and the display sizes among them. */
  withDisplay: number;
  displaySizes: string[];
}

/** Check every episode under `root`; broken ones are reported with their reasons, the rest kept. */
export function checkDataset(root: string): DatasetReport {
  const episodes = listEpisodes(root).map((dir) => {
    const verdict = checkEpisodeDir(dir);
    const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    let ticks = 0;
    let display: { width: number; height: number } | null = null;
    if (verdict.ok) {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as EpisodeMeta;
      ticks = meta.ticks;
      display = meta.display ?? null;
    }
    return { dir, ok: verdict.ok, reasons: verdict.ok ? [] : verdict.reasons, ticks, bytes, display };
  });
  const usable = episodes.filter((e) => e.ok);
  const withDisplay = usable.filter((e) => e.display !== null);
  return {
    root,
    episodes,
    usable: usable.length,
    refused: episodes.length - usable.length,
    ticks: usable.reduce((n, e) => n + e.ticks, 0),
    bytes: usable.reduce((n, e) => n + e.bytes, 0),
    withDisplay: withDisplay.length,
    displaySizes: [...new Set(withDisplay.map((e) => `${e.display!.width}×${e.display!.height}`))],
  };
}
