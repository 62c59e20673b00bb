import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDataset, checkEpisodeDir, listEpisodes, readEpisode, writeEpisode } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { episodeDirName } from '../../../../worldmodel/dataset/episode.ts';
import { encodeNpy } from '../../../../worldmodel/dataset/npy.ts';
import { syntheticEpisode, withDisplay } from './syntheticEpisode.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'nextframe-data-'));

describe('episode files', () => {
  it('writes an episode folder and reads it back identically', () => {
    const root = tmp();
    const episode = syntheticEpisode(7);
    const dir = join(root, episodeDirName(7));
    const bytes = writeEpisode(dir, episode);
    expect(bytes).toBeGreaterThan(episode.frames.length);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    const back = readEpisode(dir);
    expect(back.meta).toEqual(episode.meta);
    expect(back.frames).toEqual(episode.frames);
    expect(back.depth).toEqual(episode.depth);
    expect(back.poses).toEqual(episode.poses);
    expect(back.actions).toEqual(episode.actions);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).format).toBe('nextframe.episode');
  });

  it('lists episode folders in seed order and ignores everything else', () => {
    const root = tmp();
    for (const seed of [12, 3]) writeEpisode(join(root, episodeDirName(seed)), syntheticEpisode(seed));
    mkdirSync(join(root, 'episode-000005.partial'));
    mkdirSync(join(root, 'notes'));
    expect(listEpisodes(root).map((d) => d.slice(root.length + 1))).toEqual(['episode-000003', 'episode-000012']);
    expect(listEpisodes(join(root, 'missing'))).toEqual([]);
  });

  it('checkDataset refuses broken episodes with their reason and keeps the good ones', () => {
    const root = tmp();
    for (let seed = 0; seed < 5; seed++) writeEpisode(join(root, episodeDirName(seed)), syntheticEpisode(seed));
    // 1: a file is missing; 2: wrong shape; 3: NaN in poses; 4: a truncated array file.
    rmSync(join(root, episodeDirName(1), 'depth.npy'));
    writeFileSync(join(root, episodeDirName(2), 'frames.npy'), encodeNpy(new Uint8Array(4 * 8 * 8), [4, 8, 8, 1], 'uint8'));
    const nan = syntheticEpisode(3);
    nan.poses[0] = Number.NaN;
    writeEpisode(join(root, episodeDirName(3)), nan);
    const actions = readFileSync(join(root, episodeDirName(4), 'actions.npy'));
    writeFileSync(join(root, episodeDirName(4), 'actions.npy'), actions.subarray(0, actions.length - 10));

    const report = checkDataset(root);
    expect(report.usable).toBe(1);
    expect(report.refused).toBe(4);
    expect(report.ticks).toBe(4);
    const reasons = Object.fromEntries(report.episodes.map((e) => [e.dir.slice(root.length + 1), e.reasons.join('; ')]));
    expect(reasons['episode-000000']).toBe('');
    expect(reasons['episode-000001']).toContain('depth.npy is missing');
    expect(reasons['episode-000002']).toContain('frames.npy: expected shape [4, 8, 8, 3], found [4, 8, 8, 1]');
    expect(reasons['episode-000003']).toContain('poses.npy: 1 values are NaN or infinite');
    expect(reasons['episode-000004']).toMatch(/actions\.npy cannot be read: .*truncated/);
    expect(reasons['episode-000004']).not.toContain('actions.npy is missing');
    expect(checkEpisodeDir(join(root, episodeDirName(0)))).toEqual({ ok: true });
    expect(() => readEpisode(join(root, episodeDirName(1)))).toThrow(/readEpisode: .* is not a valid episode: depth\.npy is missing/);
    expect(() => readEpisode(join(root, episodeDirName(1)))).toThrow(expect.objectContaining({ code: 'bad-episode' }));
  });

  it('writes, reads and checks display frames (display.npy) when the episode has them, and reports them', () => {
    const root = tmp();
    const episode = withDisplay(syntheticEpisode(2), 4); // 8×8 frames, 32×32 display
    const dir = join(root, episodeDirName(2));
    writeEpisode(dir, episode);
    expect(existsSync(join(dir, 'display.npy'))).toBe(true);
    const back = readEpisode(dir);
    expect(back.meta.display).toEqual({ width: 32, height: 32 });
    expect(back.display).toEqual(episode.display);
    writeEpisode(join(root, episodeDirName(3)), syntheticEpisode(3));
    expect(existsSync(join(root, episodeDirName(3), 'display.npy'))).toBe(false);
    expect(readEpisode(join(root, episodeDirName(3))).display).toBeUndefined();

    const report = checkDataset(root);
    expect(report).toMatchObject({ usable: 2, refused: 0, withDisplay: 1, displaySizes: ['32×32'] });
    expect(report.episodes.map((e) => e.display)).toEqual([{ width: 32, height: 32 }, null]);
    // The display frames count in the bytes: 4 × 32 × 32 × 3 of data, plus the .npy header.
    expect(statSync(join(dir, 'display.npy')).size).toBe(4 * 32 * 32 * 3 + 128);
    expect(report.episodes[0]!.bytes - report.episodes[1]!.bytes).toBeGreaterThan(4 * 32 * 32 * 3 + 128);

    // A display file of the wrong shape is refused with the reason; the other episode is kept.
    writeFileSync(join(dir, 'display.npy'), encodeNpy(new Uint8Array(4 * 16 * 16 * 3), [4, 16, 16, 3], 'uint8'));
    const refused = checkDataset(root);
    expect(refused).toMatchObject({ usable: 1, refused: 1, withDisplay: 0, displaySizes: [] });
    expect(refused.episodes[0]!.reasons).toEqual(['display.npy: expected shape [4, 32, 32, 3], found [4, 16, 16, 3]']);
    expect(() => readEpisode(dir)).toThrow(expect.objectContaining({ code: 'bad-episode', message: expect.stringContaining('display.npy: expected shape') }));
  });
});
