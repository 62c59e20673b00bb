import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelUrl, progressLine, speculationText } from '../../../../engine/tools/soak/runSoak.ts';
import type { SoakSample } from '../../../../engine/tools/soak/soakReport.ts';

// The soak itself (Chromium, a minute of play) is tests/e2e/soak.spec.ts; these are its pure helpers.

describe('modelUrl', () => {
  it('serves a shipped model from public/ at /models/<id>/ and a repo folder at its own path', () => {
    expect(modelUrl('public/models/arena')).toEqual({ url: '/models/arena/', folder: null });
    expect(modelUrl('tests/fixtures/tiny/')).toEqual({ url: '/tests/fixtures/tiny/', folder: null });
  });

  it('serves a folder outside the repo through /@fs and allows it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-soak-model-'));
    try {
      writeFileSync(join(dir, 'manifest.json'), '{}');
      expect(modelUrl(dir)).toEqual({ url: `/@fs${dir}/`, folder: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder without a manifest with bad-argument', () => {
    expect(() => modelUrl('engine')).toThrow(expect.objectContaining({ code: 'bad-argument', message: expect.stringContaining('--model engine has no manifest.json') }));
  });
});

describe('progressLine', () => {
  it('says in one line where the run stands', () => {
    const sample: SoakSample = {
      minute: 2,
      heapMB: 30.94,
      geometries: 30,
      textures: 14,
      programs: 8,
      keyframes: 48,
      keyframeCapacity: 48,
      ticks: { onTime: 937, late: 994, never: 0 },
      frames: { painted: 1931, speculated: 0 },
      displayFps: { median: 33.2, p5: 11 },
      modelMs: { median: 49.12, p95: 120 },
      latencyMs: { median: 50, p95: 130 },
      consoleErrors: 0,
      moved: { metres: 47.2, degrees: 286.4 },
    };
    expect(progressLine(sample, 3, [])).toBe(
      'soak 2.0/3 min: heap 30.9 MB, 30 geometries, 14 textures, keyframes 48/48, ticks 937 on time / 994 late / 0 never, frames 1931 painted / 0 speculated, fps 33 (p5 11), model 49.1 ms, walked 47 m, turned 286°, 0 console errors',
    );
    expect(progressLine({ ...sample, keyframes: null, heapMB: null }, 3, ['x'])).toMatch(/heap – MB, .* no memory, .* 1 console errors$/);
  });
});

describe('speculationText', () => {
  const frames = { painted: 10, speculated: 2, discarded: 1, mode: 'single' };
  it('gives auto with the share of stats windows in each mode, most first', () => {
    expect(speculationText({ frames, speculation: { auto: true, windows: { single: 1, off: 3, multi: 0 } } })).toBe('auto: off 75 %, single 25 %');
    expect(speculationText({ frames, speculation: { auto: true, windows: {} } })).toBe('auto: single');
  });
  it('gives a fixed mode as it is', () => {
    expect(speculationText({ frames, speculation: { auto: false, windows: { single: 9 } } })).toBe('single');
    expect(speculationText(null)).toBe('');
  });
});
