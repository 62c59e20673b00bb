import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../worldmodel/parseManifest.ts';
import { NextActionPredictor } from '../../worldmodel/NextActionPredictor.ts';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../fixtures/tiny/manifest.json', import.meta.url), 'utf8')));
const still = [4, 4, 4, 4, 4, 0, 0];

describe('NextActionPredictor', () => {
  it('predicts nothing before any action, then "the same again" from the human-play prior', () => {
    const p = new NextActionPredictor(manifest.actions);
    expect(p.candidates(4)).toEqual([]);
    p.observe([6, 4, 4, 3, 4, 0, 1]);
    const c = p.candidates(4);
    expect(c[0]!.key).toBe('6.4.4.3.4.0.1');
    expect(c[0]!.p).toBeGreaterThan(0.5);
    expect(c.length).toBe(4);
    expect(c.map((x) => x.p)).toEqual([...c.map((x) => x.p)].sort((a, b) => b - a));
    expect(new Set(c.map((x) => x.key)).size).toBe(4);
  });

  it('learns the player\'s rhythm: a button clicked every other tick', () => {
    const p = new NextActionPredictor(manifest.actions);
    for (let t = 0; t < 40; t++) p.observe([...still.slice(0, 6), t % 2]);
    // Last observed interact = 1, so the learned rhythm says 0 next, against the prior's "stay".
    expect(p.candidates(1)[0]!.key).toBe('4.4.4.4.4.0.0');
    p.observe([...still.slice(0, 6), 0]);
    expect(p.candidates(1)[0]!.key).toBe('4.4.4.4.4.0.1');
  });

  it('stops at the coverage or the limit, and predicts after assumed actions', () => {
    const p = new NextActionPredictor(manifest.actions);
    for (let t = 0; t < 30; t++) p.observe(still);
    expect(p.candidates(8, 0.5).length).toBe(1); // confident: one candidate is enough
    expect(p.candidates(3, 1).length).toBe(3);
    const turning = Uint8Array.from([4, 4, 4, 6, 4, 0, 0]);
    expect(p.candidates(1, 1, [turning])[0]!.key).toBe('4.4.4.6.4.0.0');
  });
});
