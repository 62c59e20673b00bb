import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { cliProcess as cli } from '../cliProcess.ts';

describe('nextframe worlds', () => {
  it('builds three seeds in Chromium and tiles a labelled view of each into a sheet', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-worlds-'));
    const sheet = join(dir, 'sheet.png');
    const run = await cli('worlds', '--sheet', sheet, '--count', '3', '--size', '32', '--seed-start', '10', '--json');
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.worlds.map((w: { seed: number }) => w.seed)).toEqual([10, 11, 12]);
    expect(summary.worlds.map((w: { recipe: { family: string } }) => w.recipe.family)).toEqual(['courtyard', 'rooms', 'hills']);
    for (const w of summary.worlds) {
      expect(w.id).toBe(`generated-${w.seed}`);
      expect(w.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(w.drawCalls).toBeGreaterThan(0);
      expect(w.drawCalls).toBeLessThanOrEqual(200);
    }
    // Three tiles in one row: 2 px gaps around 32 px tiles, each over a 7 px label strip.
    const png = PNG.sync.read(readFileSync(sheet));
    expect([png.width, png.height]).toEqual([2 + 3 * (32 + 2), 2 + (32 + 7 + 2)]);
    const tile = (i: number): number[] => {
      const out: number[] = [];
      for (let y = 2; y < 34; y++) for (let x = 2 + i * 34; x < 34 + i * 34; x++) out.push(...png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3));
      return out;
    };
    const tiles = [0, 1, 2].map(tile);
    const meanDiff = (a: number[], b: number[]): number => a.reduce((s, v, k) => s + Math.abs(v - b[k]!), 0) / a.length;
    expect(meanDiff(tiles[0]!, tiles[1]!)).toBeGreaterThan(8);
    expect(meanDiff(tiles[1]!, tiles[2]!)).toBeGreaterThan(8);
    expect(meanDiff(tiles[0]!, tiles[2]!)).toBeGreaterThan(8);
    // Each tile shows a world, not one flat colour.
    for (const t of tiles) expect(new Set(t.map((v) => v >> 4)).size).toBeGreaterThan(4);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists recipes without a browser, and refuses bad numbers', async () => {
    const list = await cli('worlds', '--count', '5', '--seed-start', '100');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(5);
    expect(list.stdout).toMatch(/^100: courtyard /m);
    const bad = await cli('worlds', '--count', '0');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--count: expected an integer from 1 to 4096, found "0"/);
    const size = await cli('worlds', '--size', 'big', '--sheet', join(tmpdir(), 'never.png'));
    expect(size.stderr).toMatch(/--size: expected an integer from 16 to 512, found "big"/);
  });
});
