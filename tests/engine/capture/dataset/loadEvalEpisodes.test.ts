import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEpisode } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { loadEvalEpisodes } from '../../../../engine/capture/dataset/loadEvalEpisodes.ts';
import { episodeDirName } from '../../../../worldmodel/dataset/episode.ts';
import { syntheticEpisode, withDisplay } from './syntheticEpisode.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-eval-episodes-'));

describe('loadEvalEpisodes', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives display frames and their size where the episode has them, and nothing where it has none', () => {
    const plain = syntheticEpisode(1, 4, 8);
    const shown = withDisplay(syntheticEpisode(2, 4, 8), 4);
    writeEpisode(join(dir, episodeDirName(1)), plain);
    writeEpisode(join(dir, episodeDirName(2)), shown);
    const [a, b] = loadEvalEpisodes(dir, 'record some');
    expect(a!.display).toBeUndefined();
    expect(a!.displaySize).toBeUndefined();
    expect(b!.displaySize).toEqual({ width: 32, height: 32 });
    expect(b!.display).toEqual(shown.display);
    expect(b!.depth).toHaveLength(4 * 8 * 8); // decoded to metres
    expect(b!.depth![0]).toBe(1);
  });

  it('says how to record episodes when the folder is missing', () => {
    expect(() => loadEvalEpisodes(join(dir, 'nowhere'), 'Record them with --display 256.')).toThrow(/no held-out episodes at .*nowhere\. Record them with --display 256\./);
  });
});
