import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { SoakReport } from '../../engine/tools/soak/soakReport.ts';

// The soak command for one minute, as CI runs it: the arena demo with its shipped model, played
// headless by a real person's input trace (keys and mouse drags), checked for the report's shape
// and for bars a broken page would miss. The 30-minute bars (fps median ≥ 30, p5 ≥ 20, first frame
// ≤ 15 s, steady heap) are the command's own checks; here the floors leave room for a busy
// machine: on 2 cores with a recording running beside it (load ≈ 7), one minute measured display
// fps median 40 (p5 11), first frame 15.1 s, 745 ticks shown, heap 29 → 31 MB.

/** Display fps median this run must keep (a busy 2-core machine measured 30–40). */
const FPS_MEDIAN_FLOOR = 20;
/** Navigation → first model frame (measured 15–16 s on a busy machine; the 30-minute bar is 15 s). */
const FIRST_FRAME_CEILING_S = 45;

function soak(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['engine/tools/cli/bin.mjs', 'soak', ...args], { cwd: process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// eslint-disable-next-line no-empty-pattern -- no fixture: the command starts its own server and Chromium
test('soak --minutes 1: a minute of human play on the arena model, with no console error, every tick shown and memory held at capacity', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const html = testInfo.outputPath('soak.html');
  const { status, stdout, stderr } = await soak('--minutes', '1', '--json', '--html', html);
  writeFileSync(testInfo.outputPath('soak.json'), stdout);
  testInfo.annotations.push({ type: 'soak progress', description: stderr });
  expect(status, stderr).toBe(0);
  // A progress line per sample on stderr; stdout is only the JSON.
  expect(stderr.match(/^soak \d+(\.\d+)?\/1 min: heap /gm)?.length ?? 0).toBeGreaterThanOrEqual(4);
  const r = JSON.parse(stdout) as SoakReport;

  expect(r.model).toBe('/models/arena/');
  expect(r.backend).toBe('wasm');
  expect(r.playedSeconds).toBeGreaterThanOrEqual(59);
  // One when play starts, then every quarter of a one-minute run.
  expect(r.samples.length).toBeGreaterThanOrEqual(5);
  expect(r.samples[0]!.minute).toBe(0);
  for (const s of r.samples) {
    expect(s.heapMB).toBeGreaterThan(1);
    expect(s.heapMB).toBeLessThan(500);
    expect(s.geometries).toBeGreaterThan(0);
    expect(s.geometries).toBeLessThan(200);
    expect(s.textures).toBeLessThan(100);
    expect(s.keyframes).not.toBeNull();
    expect(s.keyframes!).toBeLessThanOrEqual(s.keyframeCapacity!);
    if (s.minute === 0) continue;
    expect(s.displayFps.median).toBeGreaterThan(0);
    expect(s.modelMs.median).toBeGreaterThan(0);
  }

  // The first frame came, and its phases account for it.
  expect(r.firstFrameSeconds).not.toBeNull();
  expect(r.firstFrameSeconds!).toBeLessThan(FIRST_FRAME_CEILING_S);
  const phases = Object.values(r.firstFrame);
  expect(phases.every((p) => typeof p === 'number' && p >= 0)).toBe(true);
  expect(phases.reduce((n: number, p) => n + (p ?? 0), 0)).toBeCloseTo(r.firstFrameSeconds!, 1);

  const s = r.summary;
  expect(s.consoleErrors).toEqual({ count: 0, first: [] });
  expect(s.pageError).toBeNull();
  expect(s.ticks.never).toBe(0);
  expect(s.ticks.shown).toBeGreaterThan(200); // ≥ 3.3 world frames a second
  expect(s.ticks.onTime + s.ticks.late).toBe(s.ticks.shown);
  expect(s.frames.painted).toBeGreaterThanOrEqual(s.ticks.shown - s.frames.speculated);
  expect(s.displayFps.median!).toBeGreaterThanOrEqual(FPS_MEDIAN_FLOOR);
  expect(s.workerRestarts).toBe(0);
  // The trace drove the game: trace a walks most of the minute and turns ~140° by mouse.
  const end = r.samples[r.samples.length - 1]!;
  expect(end.moved.metres).toBeGreaterThan(3);
  expect(end.moved.degrees).toBeGreaterThan(45);
  // The arena model has spatial memory; it fills within the minute and the heap holds.
  expect(r.atCapacity).not.toBeNull();
  const steady = r.checks.find((c) => c.name === 'steady after memory filled')!;
  expect(steady.ok, steady.detail).toBe(true);
  expect(r.checks.find((c) => c.name === 'no console errors')!.ok).toBe(true);
  expect(r.checks.find((c) => c.name === 'every tick shown')!.ok).toBe(true);

  expect(existsSync(html)).toBe(true);
  expect(readFileSync(html, 'utf8').match(/<svg /g)).toHaveLength(6);
});
