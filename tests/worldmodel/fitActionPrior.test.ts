import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, traceToBins } from '../../engine/capture/index.ts';
import { fitActionPrior } from '../../worldmodel/fitActionPrior.ts';
import type { ActionSlot } from '../../worldmodel/manifestSchema.ts';
import { HUMAN_PLAY_PRIOR, NextActionPredictor } from '../../worldmodel/NextActionPredictor.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const slots: ActionSlot[] = [
  { name: 'forward', kind: 'axis', unit: 'm/tick', scale: 0.4, bins: 9 },
  { name: 'yaw', kind: 'axis', unit: 'rad/tick', scale: 0.2, bins: 9 },
  { name: 'jump', kind: 'button', unit: 'press', scale: 1, bins: 2 },
];

describe('fitActionPrior', () => {
  it('counts stays, one-bin and two-bin moves per kind of slot, per direction for axes', () => {
    // forward: 4→4 stay, 4→6 two, 6→6 stay, 6→1 five (counted, no share); yaw: 4→5 one, 5→4 one,
    // 4→4 stay, 4→4 stay; jump: 0→1, 1→0 changes, 0→0 twice stays.
    const seq = [
      [4, 4, 0],
      [4, 5, 1],
      [6, 4, 0],
      [6, 4, 0],
      [1, 4, 0],
    ].map((b) => Uint8Array.from(b));
    const prior = fitActionPrior([seq], slots);
    expect(prior.axis).toEqual({ stay: 2 / 4, one: 0, two: 1 / 4 / 2 });
    expect(prior.look).toEqual({ stay: 2 / 4, one: 2 / 4 / 2, two: 0 });
    expect(prior.button).toEqual({ stay: 2 / 4, one: 2 / 4, two: 0 });
  });

  it('on both shipped traces gives the HUMAN_PLAY_PRIOR measured on them (to its rounding)', () => {
    const manifest = JSON.parse(readFileSync(`${root}public/models/arena/manifest.json`, 'utf8')) as { actions: ActionSlot[]; tickHz: number };
    const traces = ['a', 'b'].map((t) => traceToBins(parseTrace(readFileSync(`${root}engine/capture/recorder/traces/human-play-${t}.jsonl`, 'utf8')), manifest.actions, manifest.tickHz));
    const prior = fitActionPrior(traces, manifest.actions);
    for (const kind of ['axis', 'look', 'button'] as const) {
      for (const key of ['stay', 'one', 'two'] as const) expect(prior[kind][key], `${kind}.${key}`).toBeCloseTo(HUMAN_PLAY_PRIOR[kind][key], 3);
    }
    // One trace alone is another player: trace b's camera moves far more than trace a's.
    const [a, b] = traces.map((t) => fitActionPrior([t], manifest.actions));
    expect(b!.look.stay).toBeLessThan(a!.look.stay - 0.05);
  });

  it('is what a NextActionPredictor expects before it has learned anything', () => {
    const still = { axis: { stay: 1, one: 0, two: 0 }, look: { stay: 1, one: 0, two: 0 }, button: { stay: 1, one: 0, two: 0 } };
    const jumpy = { ...still, button: { stay: 0.2, one: 0.8, two: 0 } };
    const guess = (prior: typeof still) => {
      const predictor = new NextActionPredictor(slots, { prior });
      predictor.observe([4, 4, 0]);
      return predictor.candidates(1)[0]!.key;
    };
    expect(guess(still)).toBe('4.4.0');
    expect(guess(jumpy)).toBe('4.4.1');
  });
});
