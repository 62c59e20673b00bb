import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cameraBinToDegrees, parseTrace, type TraceRow } from '../../../../engine/capture/index.ts';
import { DEMO_RADIANS_PER_PIXEL, traceInputSteps } from '../../../../engine/tools/soak/traceInput.ts';

const still: TraceRow = { forward: 0, back: 0, left: 0, right: 0, jump: 0, sneak: 0, sprint: 0, attack: 0, use: 0, camera: [40, 40] };

describe('traceInputSteps', () => {
  it('maps keys to the demo bindings and drops sneak and sprint', () => {
    const [step] = traceInputSteps([{ ...still, forward: 1, right: 1, jump: 1, use: 1, sneak: 1, sprint: 1 }]);
    expect(step!.keys).toEqual(['KeyW', 'KeyD', 'Space', 'KeyE']);
    expect(traceInputSteps([{ ...still, back: 1, left: 1 }])[0]!.keys).toEqual(['KeyS', 'KeyA']);
    expect(traceInputSteps([still])[0]).toEqual({ keys: [], dx: 0, dy: 0, click: false });
  });

  it('turns camera bins into mouse pixels: yaw right is +x, pitch down is +y, fractions carried', () => {
    const right = { ...still, camera: [40, 60] as [number, number] };
    const degrees = cameraBinToDegrees(60);
    const exact = (degrees * Math.PI) / 180 / DEMO_RADIANS_PER_PIXEL;
    const steps = traceInputSteps(Array.from({ length: 10 }, () => right));
    expect(steps[0]!.dx).toBe(Math.round(exact));
    expect(steps.every((s) => s.dy === 0)).toBe(true);
    // Ten ticks move as far as the exact sum, within one pixel: no turn lost to rounding.
    expect(Math.abs(steps.reduce((n, s) => n + s.dx, 0) - 10 * exact)).toBeLessThanOrEqual(1);
    const down = traceInputSteps([{ ...still, camera: [70, 40] }])[0]!;
    expect(down.dy).toBeGreaterThan(0);
    expect(down.dx).toBe(0);
    expect(traceInputSteps([{ ...still, camera: [40, 10] }])[0]!.dx).toBeLessThan(0);
  });

  it('clicks once when attack goes down, counting the loop back to the first row', () => {
    const rows = [{ ...still, attack: 1 }, { ...still, attack: 1 }, still, { ...still, attack: 1 }];
    expect(traceInputSteps(rows).map((s) => s.click)).toEqual([false, false, false, true]);
    expect(traceInputSteps([{ ...still, attack: 1 }, still]).map((s) => s.click)).toEqual([true, false]);
  });

  it('plays a shipped human trace: one step per row, moving and turning', () => {
    const rows = parseTrace(readFileSync(new URL('../../../../engine/capture/recorder/traces/human-play-a.jsonl', import.meta.url), 'utf8'));
    const steps = traceInputSteps(rows);
    expect(steps).toHaveLength(rows.length);
    expect(steps.filter((s) => s.keys.includes('KeyW')).length).toBeGreaterThan(100);
    expect(steps.filter((s) => s.dx !== 0 || s.dy !== 0).length).toBeGreaterThan(100);
  });
});
