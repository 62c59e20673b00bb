import type { SoakPageSample } from '../../../demos/shared/soakProbe.ts';
import type { FirstFrameBreakdown } from './firstFrame.ts';
import { percentile } from './percentiles.ts';
import type { SoakCheck } from './soakChecks.ts';

/** One sample of a soak run: taken when play starts (minute 0), every minute, at the end, and when memory first fills. */
export interface SoakSample {
  /** Minutes of play when it was taken (from the first model frame on screen). */
  minute: number;
  /** Used JS heap of the page after a forced garbage collection (CDP), MB; the ORT worker's heap is not in it. */
  heapMB: number | null;
  /** renderer.info: geometries and textures alive on the GPU, shader programs. */
  geometries: number;
  textures: number;
  programs: number;
  /** Spatial memory's keyframes and capacity; null for a model without memory. */
  keyframes: number | null;
  keyframeCapacity: number | null;
  /**
   * Ticks since the start, counted when shown: on time (on screen within one tick period of being
   * handed to the model, e.g. 50 ms at 20 Hz: a speculated frame is ~0), late (the world waited
   * for it), never (handed over and not shown, beyond the one in flight).
   */
  ticks: { onTime: number; late: number; never: number };
  /** Frames the model painted (on demand and ahead) and ticks served by a frame painted ahead, since the start. */
  frames: { painted: number; speculated: number };
  /** Since the previous sample: display fps (over the plug-in's ~0.5 s stats windows), model ms per world frame, ms from hand-over to on screen per tick. */
  displayFps: { median: number | null; p5: number | null };
  modelMs: { median: number | null; p95: number | null };
  latencyMs: { median: number | null; p95: number | null };
  /** Console errors and uncaught page errors since navigation. */
  consoleErrors: number;
  /** How far the shown view walked (metres) and turned (degrees of yaw) since the start: the trace reached the game. */
  moved: { metres: number; degrees: number };
}

/** The whole run. */
export interface SoakSummary {
  ticks: { shown: number; onTime: number; late: number; never: number; lateShare: number };
  frames: { painted: number; speculated: number };
  displayFps: { median: number | null; p5: number | null };
  modelMs: { median: number | null; p95: number | null };
  latencyMs: { median: number | null; p95: number | null };
  consoleErrors: { count: number; first: string[] };
  /** What the demo's failure screen said (`window.__nextframe.error`) when the run ended, or null while it still played. */
  pageError: string | null;
  /**
   * Times the inference worker was replaced after dying. Always 0 today: the plug-in has no
   * worker of its own to restart yet (onnxruntime-web's proxy worker is not watched), so a
   * worker that dies ends the run with a console error instead.
   */
  workerRestarts: number;
}

export interface SoakReport {
  /** The page played (path and query on the soak's own server). */
  page: string;
  /** The model URL the page loaded, its backend, the tick rate, the speculation mode (`auto: off 80 %, single 20 %`: shares of the run's stats windows). */
  model: string;
  backend: string;
  tickHz: number;
  speculation: string;
  trace: { file: string; ticks: number };
  minutes: number;
  playedSeconds: number;
  /** Where it ran: CPU count and 1-minute load average at the start and the end (a busy machine shows). */
  machine: { cpus: number; loadStart: number; loadEnd: number };
  firstFrameSeconds: number | null;
  firstFrame: FirstFrameBreakdown['phases'];
  samples: SoakSample[];
  /** The first sample after spatial memory reached capacity: what the end is compared with. */
  atCapacity: SoakSample | null;
  summary: SoakSummary;
  checks: SoakCheck[];
}

/** A page sample (plus the heap read over CDP and the console errors so far) as a report sample. */
export function toSoakSample(page: SoakPageSample, minute: number, heapMB: number | null, consoleErrors: number): SoakSample {
  const t = page.ticks;
  return {
    minute,
    heapMB: heapMB ?? (page.heapBytes === null ? null : page.heapBytes / 2 ** 20),
    geometries: page.renderer.geometries,
    textures: page.renderer.textures,
    programs: page.renderer.programs,
    keyframes: page.keyframes,
    keyframeCapacity: page.keyframeCapacity,
    ticks: { onTime: t.onTime, late: t.late, never: neverShown(t) },
    frames: { painted: page.frames.painted, speculated: page.frames.speculated },
    displayFps: { median: percentile(page.displayFps, 50), p5: percentile(page.displayFps, 5) },
    modelMs: { median: percentile(page.modelMs, 50), p95: percentile(page.modelMs, 95) },
    latencyMs: { median: percentile(page.latencyMs, 50), p95: percentile(page.latencyMs, 95) },
    consoleErrors,
    moved: { metres: page.moved.metres, degrees: page.moved.degrees },
  };
}

/** Ticks handed over and never shown: gaps in the tick numbers, or missing frames beyond the one in flight. */
export function neverShown(ticks: SoakPageSample['ticks']): number {
  return Math.max(ticks.skipped, ticks.handed - ticks.shown - (ticks.inFlight ? 1 : 0));
}

/** The run's totals: the last sample's counts and the distributions over every value the page gave. */
export function summarise(last: SoakSample, all: { displayFps: number[]; modelMs: number[]; latencyMs: number[] }, errors: string[], pageError: string | null = null): SoakSummary {
  const { onTime, late, never } = last.ticks;
  const shown = onTime + late;
  return {
    ticks: { shown, onTime, late, never, lateShare: shown > 0 ? late / shown : 0 },
    frames: last.frames,
    displayFps: { median: percentile(all.displayFps, 50), p5: percentile(all.displayFps, 5) },
    modelMs: { median: percentile(all.modelMs, 50), p95: percentile(all.modelMs, 95) },
    latencyMs: { median: percentile(all.latencyMs, 50), p95: percentile(all.latencyMs, 95) },
    consoleErrors: { count: errors.length, first: errors.slice(0, 5) },
    pageError,
    workerRestarts: 0,
  };
}
