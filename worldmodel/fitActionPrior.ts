import { NextframeError } from './errors.ts';
import type { ActionSlot } from './manifestSchema.ts';
import { priorKind, type ActionPrior, type PriorKind } from './NextActionPredictor.ts';

/**
 * The `NextActionPredictor` prior measured on players' quantised actions (one bin per slot per
 * tick; each sequence one player's ticks in order): per kind of slot, the share of tick-to-tick
 * changes that stay, move one bin and move two bins, per direction (buttons: any change). Moves
 * of more than two bins are counted in the total but given no share, as the prior gives them none.
 * `HUMAN_PLAY_PRIOR` is this over both shipped traces; a benchmark that replays one of them fits
 * its prior on the others, so it is never scored on the ticks it was fitted on.
 */
export function fitActionPrior(sequences: readonly (readonly ArrayLike<number>[])[], slots: readonly ActionSlot[]): ActionPrior {
  const counts = new Map<PriorKind, { n: number; stay: number; one: number; two: number }>();
  for (const kind of ['axis', 'look', 'button'] as const) counts.set(kind, { n: 0, stay: 0, one: 0, two: 0 });
  for (const sequence of sequences) {
    for (let t = 1; t < sequence.length; t++) {
      const [prev, next] = [sequence[t - 1]!, sequence[t]!];
      if (prev.length !== slots.length || next.length !== slots.length) throw new NextframeError('bad-action', `fitActionPrior: expected ${slots.length} bins a tick, found ${next.length} at tick ${t}.`);
      slots.forEach((slot, s) => {
        const c = counts.get(priorKind(slot))!;
        const d = Math.abs(next[s]! - prev[s]!);
        c.n++;
        if (d === 0) c.stay++;
        else if (d === 1) c.one++;
        else if (d === 2) c.two++;
      });
    }
  }
  const share = (kind: PriorKind) => {
    const c = counts.get(kind)!;
    if (c.n === 0) throw new NextframeError('bad-action', `fitActionPrior: no tick-to-tick change of a ${kind} slot to fit on; give sequences of at least two ticks for slots of every kind the model has.`);
    // Buttons have one way to change from either bin; axes two directions.
    const ways = kind === 'button' ? 1 : 2;
    return { stay: c.stay / c.n, one: c.one / c.n / ways, two: kind === 'button' ? 0 : c.two / c.n / ways };
  };
  const present = new Set(slots.map(priorKind));
  const fallback = { stay: 1, one: 0, two: 0 };
  return Object.freeze({
    axis: present.has('axis') ? share('axis') : fallback,
    look: present.has('look') ? share('look') : fallback,
    button: present.has('button') ? share('button') : fallback,
  });
}
