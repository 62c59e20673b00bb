import RAPIER from '@dimforge/rapier3d-compat';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionCodec } from '../../../../worldmodel/ActionCodec.ts';
import { DEFAULT_ACTION_SLOTS } from '../../../../worldmodel/dataset/actionLayout.ts';
import { actionStats, formatStats, mergeStats, type ActionStats } from '../../../../engine/capture/players/actionStats.ts';
import { nativeTraceStats, parseTrace, traceStats } from '../../../../engine/capture/players/humanTraces.ts';
import { EpisodeSimulator } from '../../../../engine/capture/recorder/EpisodeSimulator.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

const traceFile = (name: string): string => fileURLToPath(new URL(`../../../../engine/capture/recorder/traces/${name}.jsonl`, import.meta.url));
const slots = DEFAULT_ACTION_SLOTS;

/** Quantised actions of `episodes` simulated episodes of a player (physics only, no pixels). */
function playerStats(policy: string, episodes: number, ticks: number): ActionStats {
  const codec = new ActionCodec(slots);
  const scene = arenaScene(0);
  const all: ActionStats[] = [];
  for (let e = 0; e < episodes; e++) {
    const sim = new EpisodeSimulator({ scene, rapier: RAPIER, seed: 1000 + e, policy });
    const rows: Uint8Array[] = [codec.quantise(sim.action)];
    for (let t = 1; t < ticks; t++) rows.push(codec.quantise(sim.step()));
    sim.dispose();
    all.push(actionStats(rows, slots));
  }
  return mergeStats(all);
}

describe('action statistics: scripted players vs human traces', () => {
  beforeAll(async () => {
    await RAPIER.init();
  });

  it('reads the traces as their README measures them (68 % / 26 % whole, 95 % / 82 % keys)', () => {
    const a = nativeTraceStats(parseTrace(readFileSync(traceFile('human-play-a'), 'utf8')));
    const b = nativeTraceStats(parseTrace(readFileSync(traceFile('human-play-b'), 'utf8')));
    expect(a.wholeRepeat).toBeCloseTo(0.68, 2);
    expect(b.wholeRepeat).toBeCloseTo(0.26, 1);
    expect(a.keysRepeat).toBeCloseTo(0.95, 2);
    expect(b.keysRepeat).toBeCloseTo(0.82, 2);
  });

  it('each player lies in the human range in the quantised action space', () => {
    const humans = ['human-play-a', 'human-play-b'].map((name) => ({ name, stats: traceStats(parseTrace(readFileSync(traceFile(name), 'utf8')), slots) }));
    const players = ['wander', 'explore'].map((name) => ({ name, stats: playerStats(name, 6, 600) }));
    const lines = [...humans.map((h) => formatStats(h.name, h.stats)), ...players.map((p) => formatStats(`player ${p.name}`, p.stats))];
    console.log(`\n${lines.join('\n')}\n`);
    const range = (key: 'wholeRepeat' | 'movementRepeat' | 'moving' | 'turning'): [number, number] => {
      const values = humans.map((h) => h.stats[key]);
      return [Math.min(...values), Math.max(...values)];
    };
    for (const p of players) {
      for (const [key, slack] of [['wholeRepeat', 0.05], ['movementRepeat', 0.05], ['moving', 0.1], ['turning', 0.05]] as const) {
        const [lo, hi] = range(key);
        expect(p.stats[key], `${p.name} ${key}`).toBeGreaterThanOrEqual(lo - slack);
        expect(p.stats[key], `${p.name} ${key}`).toBeLessThanOrEqual(hi + slack);
      }
    }
  });
});
