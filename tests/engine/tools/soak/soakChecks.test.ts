import { describe, expect, it } from 'vitest';
import type { SoakPageSample } from '../../../../demos/shared/soakProbe.ts';
import { DEFAULT_SOAK_BARS, soakChecks } from '../../../../engine/tools/soak/soakChecks.ts';
import { neverShown, summarise, toSoakSample, type SoakSample } from '../../../../engine/tools/soak/soakReport.ts';

function pageSample(over: Partial<SoakPageSample> = {}): SoakPageSample {
  return {
    at: 60_000,
    heapBytes: 40 * 2 ** 20,
    renderer: { geometries: 29, textures: 14, programs: 7 },
    keyframes: 48,
    keyframeCapacity: 48,
    ticks: { handed: 1201, shown: 1200, onTime: 1100, late: 100, skipped: 0, inFlight: true },
    frames: { painted: 1200, speculated: 0, discarded: 0, mode: 'off' },
    displayFps: [58, 60, 61, 59, 25],
    modelMs: [20, 22, 24, 80],
    latencyMs: [21, 23, 25, 81],
    moved: { metres: 120, degrees: 900 },
    speculation: { auto: true, windows: { off: 100, single: 20 } },
    tickHz: 20,
    backend: 'wasm',
    ...over,
  };
}

const sample = (minute: number, over: Partial<SoakSample> = {}): SoakSample => ({ ...toSoakSample(pageSample(), minute, 40, 0), ...over });

function run(samples: SoakSample[], atCapacity: SoakSample | null, fps: number[], errors: string[] = [], firstFrameSeconds: number | null = 9) {
  const summary = summarise(samples[samples.length - 1]!, { displayFps: fps, modelMs: [20], latencyMs: [21] }, errors);
  return soakChecks({ samples, atCapacity, summary, firstFrameSeconds });
}

const byName = (checks: ReturnType<typeof soakChecks>, start: string) => checks.find((c) => c.name.startsWith(start))!;

describe('toSoakSample and summarise', () => {
  it('turns a page sample into a report sample: the CDP heap when there is one, percentiles of what arrived', () => {
    const s = toSoakSample(pageSample(), 1, 42.5, 3);
    expect(s).toMatchObject({ minute: 1, heapMB: 42.5, geometries: 29, textures: 14, keyframes: 48, consoleErrors: 3, ticks: { onTime: 1100, late: 100, never: 0 }, frames: { painted: 1200, speculated: 0 }, moved: { metres: 120, degrees: 900 } });
    expect(s.displayFps.median).toBe(59);
    expect(s.modelMs.median).toBe(23);
    expect(toSoakSample(pageSample(), 1, null, 0).heapMB).toBe(40);
    expect(toSoakSample(pageSample({ heapBytes: null, displayFps: [] }), 1, null, 0)).toMatchObject({ heapMB: null, displayFps: { median: null, p5: null } });
  });

  it('counts a tick as never shown when it was handed over and no frame came, beyond the one in flight, or its number was skipped', () => {
    expect(neverShown({ handed: 10, shown: 9, onTime: 9, late: 0, skipped: 0, inFlight: true })).toBe(0);
    expect(neverShown({ handed: 10, shown: 9, onTime: 9, late: 0, skipped: 0, inFlight: false })).toBe(1);
    expect(neverShown({ handed: 10, shown: 10, onTime: 10, late: 0, skipped: 2, inFlight: false })).toBe(2);
  });

  it('summarises the run with the first five console errors and no worker restarts', () => {
    const errors = ['a', 'b', 'c', 'd', 'e', 'f'];
    const s = summarise(sample(30), { displayFps: [60, 30], modelMs: [], latencyMs: [] }, errors);
    expect(s.consoleErrors).toEqual({ count: 6, first: ['a', 'b', 'c', 'd', 'e'] });
    expect(s.workerRestarts).toBe(0);
    expect(s.ticks).toEqual({ shown: 1200, onTime: 1100, late: 100, never: 0, lateShare: 100 / 1200 });
    expect(s.modelMs.median).toBeNull();
  });
});

describe('soakChecks', () => {
  it('passes a steady run that meets every bar', () => {
    const checks = run([sample(1), sample(30, { heapMB: 43 })], sample(0.5), [60, 59, 58, 45, 30]);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['steady after memory filled', true],
      ['keyframes within capacity', true],
      ['still playing at the end', true],
      ['no console errors', true],
      ['every tick shown', true],
      [`display fps median ≥ ${DEFAULT_SOAK_BARS.fpsMedian}, p5 ≥ ${DEFAULT_SOAK_BARS.fpsP5}`, true],
      [`first frame ≤ ${DEFAULT_SOAK_BARS.firstFrameSeconds} s`, true],
    ]);
  });

  it('fails growth of more than 10 % after memory filled, in the heap or a renderer count', () => {
    const heap = byName(run([sample(30, { heapMB: 45 })], sample(1, { heapMB: 40 }), [60]), 'steady');
    expect(heap.ok).toBe(false);
    expect(heap.detail).toContain('heap MB 40 → 45 (13 %)');
    expect(byName(run([sample(30, { textures: 20 })], sample(1), [60]), 'steady').ok).toBe(false);
    expect(byName(run([sample(30, { geometries: 31 })], sample(1), [60]), 'steady').ok).toBe(true); // 29 → 31 is 7 %
  });

  it('says when the steadiness check does not apply: memory never filled, or no memory at all', () => {
    expect(byName(run([sample(1, { keyframes: 20 })], null, [60]), 'steady')).toMatchObject({ ok: null, detail: expect.stringContaining('never reached capacity') });
    const none = run([sample(1, { keyframes: null, keyframeCapacity: null })], null, [60]);
    expect(byName(none, 'steady').detail).toContain('no spatial memory');
    expect(byName(none, 'keyframes').ok).toBeNull();
  });

  it('fails keyframes over capacity, console errors, a tick never shown, low fps and a slow first frame', () => {
    const checks = run([sample(1, { keyframes: 49 }), sample(2, { ticks: { onTime: 10, late: 5, never: 1 } })], null, [60, 19, 20, 25, 28], ['boom'], 16);
    expect(byName(checks, 'keyframes')).toMatchObject({ ok: false, detail: '49 of 48 at minute 1' });
    expect(byName(checks, 'no console errors')).toMatchObject({ ok: false, detail: '1: boom' });
    expect(byName(checks, 'every tick')).toMatchObject({ ok: false, detail: '15 shown (10 on time, 5 late), 1 never' });
    expect(byName(checks, 'display fps').ok).toBe(false);
    expect(byName(checks, 'first frame')).toMatchObject({ ok: false, detail: '16.0 s' });
    expect(byName(run([sample(1)], null, [60], [], null), 'first frame')).toMatchObject({ ok: false, detail: 'no model frame was painted' });
  });

  it('fails a run whose page showed its failure screen', () => {
    const summary = summarise(sample(1), { displayFps: [60], modelMs: [], latencyMs: [] }, [], 'model-step-failed: the world model threw');
    const check = byName(soakChecks({ samples: [sample(1)], atCapacity: null, summary, firstFrameSeconds: 9 }), 'still playing');
    expect(check).toMatchObject({ ok: false, detail: 'model-step-failed: the world model threw' });
  });

  it('a run with no shown tick fails, and custom bars apply', () => {
    const summary = summarise(sample(1, { ticks: { onTime: 0, late: 0, never: 0 } }), { displayFps: [12], modelMs: [], latencyMs: [] }, []);
    const checks = soakChecks({ samples: [sample(1)], atCapacity: null, summary, firstFrameSeconds: 20 }, { ...DEFAULT_SOAK_BARS, fpsMedian: 10, fpsP5: 10, firstFrameSeconds: 30 });
    expect(byName(checks, 'every tick').ok).toBe(false);
    expect(byName(checks, 'display fps median ≥ 10').ok).toBe(true);
    expect(byName(checks, 'first frame ≤ 30').ok).toBe(true);
  });
});
