import { describe, expect, it } from 'vitest';
import { plot, soakHtml } from '../../../../engine/tools/soak/soakHtml.ts';
import type { SoakReport, SoakSample } from '../../../../engine/tools/soak/soakReport.ts';

const sample = (minute: number, heapMB: number | null): SoakSample => ({
  minute,
  heapMB,
  geometries: 29,
  textures: 14,
  programs: 7,
  keyframes: 48,
  keyframeCapacity: 48,
  ticks: { onTime: 1000 * minute, late: 10 * minute, never: 0 },
  frames: { painted: 1010 * minute, speculated: 0 },
  displayFps: { median: 58, p5: 31 },
  modelMs: { median: 22, p95: 40 },
  latencyMs: { median: 23, p95: 41 },
  consoleErrors: 0,
  moved: { metres: 50 * minute, degrees: 300 * minute },
});

const report: SoakReport = {
  page: '/demos/arena/?nohelp&lock=0',
  model: '/models/arena/',
  backend: 'wasm',
  tickHz: 20,
  speculation: 'off',
  trace: { file: 'engine/capture/recorder/traces/human-play-a.jsonl', ticks: 1200 },
  minutes: 3,
  playedSeconds: 180,
  machine: { cpus: 2, loadStart: 1, loadEnd: 2 },
  firstFrameSeconds: 12.3,
  firstFrame: { pageLoad: 3, deviceAndManifest: 0.2, modelDownload: 0.3, sessionCreate: 5, worldBuild: 2, firstTruth: 1.3, firstModelStep: 0.5 },
  samples: [sample(1, 30), sample(2, null), sample(3, 31)],
  atCapacity: sample(0.1, 29),
  summary: {
    ticks: { shown: 3030, onTime: 3000, late: 30, never: 0, lateShare: 0.01 },
    frames: { painted: 3030, speculated: 0 },
    displayFps: { median: 58, p5: 31 },
    modelMs: { median: 22, p95: 40 },
    latencyMs: { median: 23, p95: 41 },
    consoleErrors: { count: 0, first: [] },
    pageError: null,
    workerRestarts: 0,
  },
  checks: [{ name: 'no console errors', ok: true, detail: '0 <none>' }],
};

describe('soakHtml', () => {
  it('is one self-contained page: a plot per measurement, the checks and the first-frame phases, text escaped', () => {
    const html = soakHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain('sessionCreate');
    expect(html).toContain('0 &lt;none&gt;');
    expect(html).toContain('12.30 s');
  });

  it('draws a gap where a value is missing and a dot for every value', () => {
    const svg = plot('heap', 'MB', [1, 2, 3, 4], [{ name: 'heap', color: '#000', values: [1, null, 3, 4] }]);
    expect(svg.match(/<polyline/g)).toHaveLength(1); // 3 → 4; the lone first point is a dot only
    expect(svg.match(/<circle/g)).toHaveLength(3);
    expect(plot('empty', 'x', [], [{ name: 'a', color: '#000', values: [] }])).toContain('<svg');
  });
});
