import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEpisodeFiles } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { checkEpisode, episodeMetaSchema } from '../../../../worldmodel/dataset/episode.ts';
import { cliProcess as cli } from './cliProcess.ts';

const fixture = (name: string) => `tests/fixtures/scenes/${name}.ts`;

describe('nextframe record --scene <module>', () => {
  it('records the README\'s scene module (committed unchanged) into episodes check-data accepts', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-module-'));
    const run = await cli('record', '--scene', fixture('readmeScene'), '--episodes', '2', '--ticks', '16', '--policy', 'explore', '--out', out, '--json');
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ written: 2, refused: [], scene: 'readmeScene', ticks: 32 });
    expect(summary.sceneHash).toMatch(/^[0-9a-f]{16}$/);
    const { files } = readEpisodeFiles(join(out, 'episode-000000'));
    expect(checkEpisode(files)).toEqual({ ok: true });
    const meta = episodeMetaSchema.parse(files.meta);
    expect(meta).toMatchObject({ scene: 'readmeScene', sceneHash: summary.sceneHash, policy: 'explore', ticks: 16 });
    // Standing on the floor (top y = 0) at eye height, wherever the spawn search put the player.
    const poses = files.poses!.data as Float32Array;
    expect(poses[1]).toBeCloseTo(1.6, 1);
    const checked = await cli('check-data', out, '--json');
    expect(JSON.parse(checked.stdout)).toMatchObject({ usable: 2, refused: 0 });
    // The same module gives the same hash: a second run keeps both episodes.
    const again = await cli('record', '--scene', fixture('readmeScene'), '--episodes', '2', '--ticks', '16', '--policy', 'explore', '--out', out, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ kept: 2, written: 0, sceneHash: summary.sceneHash });
    rmSync(out, { recursive: true, force: true });
  });

  it('--scene-seeds builds the module once per seed in one page and records each world\'s episodes', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-worlds-'));
    const args = ['record', '--scene', fixture('readmeScene'), '--scene-seeds', '0,5', '--episodes', '2', '--policy', 'wander,explore', '--ticks', '8', '--out', out, '--json'];
    const run = await cli(...args);
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ written: 4, refused: [], ticks: 32, seeds: [0, 3] });
    // The README's scene colours its towers by seed: two seeds, two worlds, two content hashes.
    expect(summary.scenes.map((s: { seed: number }) => s.seed)).toEqual([0, 5]);
    const [a, b] = summary.scenes as { hash: string }[];
    expect(a!.hash).not.toBe(b!.hash);
    const metaOf = (seed: string) => episodeMetaSchema.parse(readEpisodeFiles(join(out, `episode-${seed}`)).files.meta);
    // Episodes 0, 1 in the first world, 2, 3 in the second; each world's players take turns.
    expect(['000000', '000001', '000002', '000003'].map((e) => [metaOf(e).sceneHash, metaOf(e).policy])).toEqual([
      [a!.hash, 'wander'],
      [a!.hash, 'explore'],
      [b!.hash, 'wander'],
      [b!.hash, 'explore'],
    ]);
    // Resumed: each world is built again and its episodes kept.
    const again = await cli(...args);
    expect(JSON.parse(again.stdout)).toMatchObject({ kept: 4, written: 0 });
    rmSync(out, { recursive: true, force: true });
  });

  it('the README shows that scene module word for word', () => {
    const readme = readFileSync('README.md', 'utf8');
    const module = readFileSync(fixture('readmeScene'), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${module}\`\`\``);
  });

  it('refuses bad scene modules with errors that say what was expected', { timeout: 120_000 }, async () => {
    const cases: [string, RegExp][] = [
      ['noDefaultExport', /has no default export function; found exports createScene\. Expected `export default async function createScene/],
      ['emptyProxies', /`proxies` is empty: give at least the floor/],
      ['missingGlb', /createScene in \/tests\/fixtures\/scenes\/missingGlb\.ts failed: .*no-such-asset\.glb.*404/],
      ['noFreeSpot', /no free spot in the spawn area of scene "noFreeSpot"/],
    ];
    for (const [name, expected] of cases) {
      const out = mkdtempSync(join(tmpdir(), 'nextframe-bad-module-'));
      const run = await cli('record', '--scene', fixture(name), '--episodes', '1', '--ticks', '4', '--out', out);
      expect(run.status, name).not.toBe(0);
      expect(run.stderr, name).toMatch(expected);
      expect(run.stderr, name).not.toMatch(/\n\s+at /); // the message, not a stack
      rmSync(out, { recursive: true, force: true });
    }
    const missing = await cli('record', '--scene', fixture('noSuchModule'), '--episodes', '1', '--ticks', '4', '--out', tmpdir());
    expect(missing.stderr).toMatch(/no scene module at .*noSuchModule\.ts; expected a \.ts or \.js file/);
  });
});
