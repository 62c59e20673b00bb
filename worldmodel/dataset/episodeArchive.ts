import { POSE_SIZE } from './actionLayout.ts';
import { encodeNpy } from './npy.ts';
import type { Episode } from './episode.ts';

/** A file of an episode folder: name and bytes. */
export interface EpisodeFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The files of an episode folder, arrays first (`display.npy` only when the episode has display
 * frames) and `meta.json` last (the order a folder is written in). Browser-safe: the plug-in's record mode builds the same files the recorder writes.
 */
export function episodeFileList(episode: Episode): EpisodeFile[] {
  const { meta } = episode;
  const T = meta.ticks;
  const { width: W, height: H } = meta.resolution;
  const A = meta.actions.length;
  return [
    { name: 'frames.npy', bytes: encodeNpy(episode.frames, [T, H, W, 3], 'uint8') },
    { name: 'depth.npy', bytes: encodeNpy(episode.depth, [T, H, W], 'float16') },
    { name: 'poses.npy', bytes: encodeNpy(episode.poses, [T, POSE_SIZE], 'float32') },
    { name: 'actions.npy', bytes: encodeNpy(episode.actions, [T, A], 'float32') },
    ...(episode.display && meta.display ? [{ name: 'display.npy', bytes: encodeNpy(episode.display, [T, meta.display.height, meta.display.width, 3], 'uint8') }] : []),
    { name: 'meta.json', bytes: new TextEncoder().encode(`${JSON.stringify(meta, null, 2)}\n`) },
  ];
}

const BLOCK = 512;

/**
 * A POSIX tar (ustar) of files, uncompressed: what a browser can download as one file and
 * `tar -xf` (or `untarFiles`, or `nextframe check-data`) unpacks into episode folders.
 */
export function tarFiles(files: readonly EpisodeFile[]): Uint8Array {
  const size = files.reduce((n, f) => n + BLOCK + Math.ceil(f.bytes.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const file of files) {
    if (file.name.length > 99) throw new Error(`tarFiles: "${file.name}" is longer than 99 characters.`);
    const header = out.subarray(at, at + BLOCK);
    const put = (text: string, offset: number): void => {
      for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
    };
    put(file.name, 0);
    put('0000644\0', 100); // mode
    put('0000000\0', 108); // uid
    put('0000000\0', 116); // gid
    put(`${file.bytes.length.toString(8).padStart(11, '0')}\0`, 124);
    put(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
    put('        ', 148); // checksum counts as spaces while summing
    put('0', 156); // regular file
    put('ustar\0', 257);
    put('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    out.set(file.bytes, at + BLOCK);
    at += BLOCK + Math.ceil(file.bytes.length / BLOCK) * BLOCK;
  }
  return out; // two zero blocks end it
}

/** The regular files of a tar made by `tarFiles` (or any plain ustar/GNU tar without long names). */
export function untarFiles(tar: Uint8Array): EpisodeFile[] {
  const files: EpisodeFile[] = [];
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const header = tar.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const text = (offset: number, length: number): string => String.fromCharCode(...header.subarray(offset, offset + length)).replace(/\0.*$/s, '').trim();
    const name = text(0, 100);
    const size = parseInt(text(124, 12), 8);
    if (!Number.isFinite(size)) throw new Error(`untarFiles: the entry at byte ${at} has no valid size; not a tar file?`);
    const type = text(156, 1) || '0';
    if (type === '0') files.push({ name, bytes: tar.slice(at + BLOCK, at + BLOCK + size) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
