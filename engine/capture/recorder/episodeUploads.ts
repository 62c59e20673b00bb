import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { untarFiles } from '../../../worldmodel/dataset/episodeArchive.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { checkEpisodeDir } from '../dataset/episodeFiles.ts';

import { EPISODE_UPLOAD_PATH } from '../../runtime/index.ts';

const ENTRY = /^(episode-\d+)\/(meta\.json|frames\.npy|depth\.npy|poses\.npy|actions\.npy|display\.npy)$/;

/**
 * Unpack an episode tar (`EpisodeCapture.tar()`) into `root/<episode-…>/`, checked like any
 * recording: a folder that fails the checker is kept as `<dir>.refused` with the reasons.
 * Names other than one episode folder's files (five, and `display.npy` when it has display frames)
 * are refused, so nothing is written elsewhere.
 */
export function saveEpisodeTar(root: string, tar: Uint8Array): { dir: string; ok: boolean; reasons: string[] } {
  const files = untarFiles(tar);
  const folders = new Set(files.map((f) => ENTRY.exec(f.name)?.[1] ?? null));
  if (files.length === 0 || folders.has(null) || folders.size !== 1) {
    throw new NextframeError('bad-episode', `saveEpisodeTar: expected one episode folder (episode-<seed>/ with meta.json and four .npy files, optionally display.npy), found ${files.map((f) => f.name).join(', ') || 'no files'}.`);
  }
  const dir = join(root, [...folders][0]!);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const f of files) writeFileSync(join(partial, f.name.split('/')[1]!), f.bytes);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  const verdict = checkEpisodeDir(dir);
  if (verdict.ok) return { dir, ok: true, reasons: [] };
  rmSync(`${dir}.refused`, { recursive: true, force: true });
  renameSync(dir, `${dir}.refused`);
  return { dir: `${dir}.refused`, ok: false, reasons: verdict.reasons };
}

/**
 * A vite plug-in for the dev server: `POST /__nextframe/episodes` with an episode tar saves it
 * under `dir` (default `data/recorded`, or NEXTFRAME_RECORD_DIR) and answers
 * `{ dir, ok, reasons }`. Add it to your vite config to record your own play into your repo.
 */
export function episodeUploads(dir = process.env.NEXTFRAME_RECORD_DIR ?? 'data/recorded'): Plugin {
  const handle = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.url !== EPISODE_UPLOAD_PATH) return next();
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.end('POST an episode tar here.\n');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      try {
        const saved = saveEpisodeTar(resolve(dir), new Uint8Array(Buffer.concat(chunks)));
        res.end(JSON.stringify(saved));
      } catch (error) {
        res.statusCode = 400;
        res.end(JSON.stringify({ ok: false, reasons: [(error as Error).message] }));
      }
    });
  };
  return { name: 'nextframe-episode-uploads', configureServer: (server) => void server.middlewares.use(handle) };
}
