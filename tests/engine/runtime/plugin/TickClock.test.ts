import { describe, expect, it } from 'vitest';
import { TickClock, type TickHandler } from '../../../../engine/runtime/plugin/TickClock.ts';

/** A handler that records what the clock did; `free` says whether the model takes a tick. */
function recorder(free = () => true): TickHandler & { log: string[] } {
  const log: string[] = [];
  return { log, step: () => void log.push('s'), ready: free, tick: () => void log.push('T') };
}

describe('TickClock', () => {
  it('runs 3 fixed 1/60 s steps per 20 Hz tick, and hands each tick over as its last step ends', () => {
    const clock = new TickClock({ tickHz: 20 });
    expect(clock.stepsPerTick).toBe(3);
    const h = recorder();
    clock.advance(0.1, h); // 6 steps
    expect(h.log.join('')).toBe('sssTsssT');
    expect(clock.ticks).toBe(2);
    expect(clock.steps).toBe(6);
  });

  it('banks time between display frames, whatever the display rate', () => {
    const clock = new TickClock({ tickHz: 20 });
    const h = recorder();
    for (let i = 0; i < 144; i++) clock.advance(1 / 144, h); // one second on a 144 Hz screen
    expect(clock.steps).toBe(60);
    expect(clock.ticks).toBe(20);
  });

  it('waits for the model: a finished tick holds physics until the model is free', () => {
    let free = false;
    const clock = new TickClock({ tickHz: 20 });
    const h = recorder(() => free);
    clock.advance(0.2, h);
    expect(h.log.join('')).toBe('sss'); // the first tick is done; the model is busy
    expect(clock.waiting).toBe(true);
    clock.advance(0.5, h); // still busy: no time piles up
    expect(h.log.join('')).toBe('sss');
    free = true;
    clock.advance(0, h); // the model frees up: the tick goes at once, then one step in hand
    expect(h.log.join('')).toBe('sssTs');
    expect(clock.waiting).toBe(false);
  });

  it('caps catch-up after a stall', () => {
    const clock = new TickClock({ tickHz: 20, maxCatchUp: 0.25 });
    const h = recorder();
    clock.advance(5, h);
    expect(clock.steps).toBe(15);
  });

  it('rounds the tick to whole steps: 15 Hz is 4 steps, 24 Hz becomes 3 steps (20 Hz)', () => {
    expect(new TickClock({ tickHz: 15 }).stepsPerTick).toBe(4);
    const odd = new TickClock({ tickHz: 24 });
    expect(odd.stepsPerTick).toBe(3);
    expect(odd.tickHz).toBeCloseTo(20);
    expect(() => new TickClock({ tickHz: 0 })).toThrow(/positive/);
  });

  it('reset drops banked time and starts a fresh tick', () => {
    const clock = new TickClock({ tickHz: 20 });
    const h = recorder();
    clock.advance(1 / 30, h);
    expect(clock.stepsIntoTick).toBe(2);
    clock.reset();
    expect(clock.stepsIntoTick).toBe(0);
    clock.advance(0.01, h);
    expect(clock.stepsIntoTick).toBe(0);
  });
});
