import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../../engine/sandbox/evaluation/wilsonInterval.ts';

describe('wilsonInterval', () => {
  it('matches hand-computed 95 % intervals', () => {
    // 8/10: centre (0.8 + z²/20)/(1 + z²/10) = 0.71674, half-width 0.22658
    const a = wilsonInterval(8, 10);
    expect(a.rate).toBe(0.8);
    expect(a.low).toBeCloseTo(0.49016, 4);
    expect(a.high).toBeCloseTo(0.94332, 4);
    // 0/10: [0, 2·(z²/20)/(1 + z²/10)] = [0, 0.27753]
    const b = wilsonInterval(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.27753, 4);
    // 10/10 mirrors 0/10
    expect(wilsonInterval(10, 10).low).toBeCloseTo(1 - 0.27753, 4);
  });

  it('narrows as trials grow', () => {
    const few = wilsonInterval(5, 10);
    const many = wilsonInterval(500, 1000);
    expect(many.high - many.low).toBeLessThan((few.high - few.low) / 5);
  });

  it('says nothing for zero trials and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ low: 0, high: 1 });
    expect(wilsonInterval(0, 0).rate).toBeNaN();
    expect(() => wilsonInterval(3, 2)).toThrow(/0 ≤ successes ≤ trials, found 3 of 2/);
    expect(() => wilsonInterval(1.5, 2)).toThrow(/integers/);
  });
});
