import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { episodeFileList, tarFiles } from '../../../../worldmodel/dataset/episodeArchive.ts';
import { saveEpisodeTar } from '../../../../engine/capture/recorder/episodeUploads.ts';
import { syntheticEpisode, withDisplay } from '../dataset/syntheticEpisode.ts';

describe('saveEpisodeTar', () => {
  it('unpacks one episode folder, checked', () => {
    const root = mkdtempSync(join(tmpdir(), 'nextframe-upload-'));
    const tar = tarFiles(episodeFileList(syntheticEpisode(3)).map((f) => ({ name: `episode-000003/${f.name}`, bytes: f.bytes })));
    expect(saveEpisodeTar(root, tar)).toEqual({ dir: join(root, 'episode-000003'), ok: true, reasons: [] });
    expect(existsSync(join(root, 'episode-000003', 'frames.npy'))).toBe(true);
  });

  it('takes an episode with display frames (display.npy) too', () => {
    const root = mkdtempSync(join(tmpdir(), 'nextframe-upload-'));
    const tar = tarFiles(episodeFileList(withDisplay(syntheticEpisode(5), 2)).map((f) => ({ name: `episode-000005/${f.name}`, bytes: f.bytes })));
    expect(saveEpisodeTar(root, tar)).toEqual({ dir: join(root, 'episode-000005'), ok: true, reasons: [] });
    expect(existsSync(join(root, 'episode-000005', 'display.npy'))).toBe(true);
  });

  it('keeps a broken episode apart as .refused, with the reasons', () => {
    const root = mkdtempSync(join(tmpdir(), 'nextframe-upload-'));
    const broken = syntheticEpisode(4);
    broken.actions[2] = Number.NaN;
    const tar = tarFiles(episodeFileList(broken).map((f) => ({ name: `episode-000004/${f.name}`, bytes: f.bytes })));
    const saved = saveEpisodeTar(root, tar);
    expect(saved.ok).toBe(false);
    expect(saved.dir).toBe(join(root, 'episode-000004.refused'));
    expect(saved.reasons.join(' ')).toMatch(/NaN/);
  });

  it('writes nothing for files outside one episode folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'nextframe-upload-'));
    const evil = tarFiles([{ name: '../../etc/passwd', bytes: new Uint8Array([1]) }]);
    expect(() => saveEpisodeTar(root, evil)).toThrow(/expected one episode folder .*found \.\.\/\.\.\/etc\/passwd/);
    expect(() => saveEpisodeTar(root, tarFiles([]))).toThrow(/found no files/);
  });
});
