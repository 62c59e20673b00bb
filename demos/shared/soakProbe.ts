// What the command line's soak reads from a playing demo page (window.__nextframe.debug.soak): when
// each world frame came, how long after its tick was handed over, the display rate, the model's
// time, memory and renderer counts, and the marks of the first seconds. Always on and bounded:
// counters plus fixed rings, so a player who never reads it pays a few numbers per tick.
import type { WebGLRenderer } from 'three';
import type { WorldModelPlugin } from '../../engine/runtime/index.ts';

/** What the probe gives each `sample()`; the rings hold what arrived since the last one. */
export interface SoakPageSample {
  /** Milliseconds since navigation. */
  at: number;
  /** `performance.memory.usedJSHeapSize` (Chromium), bytes; null elsewhere. */
  heapBytes: number | null;
  renderer: { geometries: number; textures: number; programs: number };
  /** Spatial memory: keyframes held and the most it keeps; null for a model without memory. */
  keyframes: number | null;
  keyframeCapacity: number | null;
  /** Since the page started: ticks handed to the model, shown within a tick period of that, shown later, and skipped (tick numbers that never came). */
  ticks: { handed: number; shown: number; onTime: number; late: number; skipped: number; inFlight: boolean };
  /** The speculative scheduler's counts: frames the model painted (on demand and ahead), ticks served by a frame painted ahead, frames thrown away; the mode now. */
  frames: { painted: number; speculated: number; discarded: number; mode: string };
  /** Whether auto speculation chose the mode, and how many stats windows (~0.5 s) since the start were in each mode. */
  speculation: { auto: boolean; windows: Record<string, number> };
  /** Since the last sample: display fps of each stats window (~0.5 s), model ms of each world frame, ms from hand-over to shown of each tick. */
  displayFps: number[];
  modelMs: number[];
  latencyMs: number[];
  /** How far the shown view has walked (metres, on the ground plane) and turned (yaw, degrees) since the page started: the input reached the game. */
  moved: { metres: number; degrees: number };
  tickHz: number;
  backend: string;
}

/** Navigation-relative times (ms) of the demo's boot marks and of the model file's download. */
export interface SoakPageTimeline {
  marks: Record<string, number>;
  modelRequest: { start: number; end: number } | null;
}

const RING = 4096;

/** A ring of the last RING numbers pushed since the last drain. */
class Ring {
  private readonly values = new Float64Array(RING);
  private next = 0;
  private count = 0;
  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % RING;
    this.count = Math.min(RING, this.count + 1);
  }
  drain(): number[] {
    const out: number[] = [];
    for (let i = this.count; i > 0; i--) out.push(this.values[(this.next - i + RING) % RING]!);
    this.count = 0;
    return out;
  }
}

export class SoakProbe {
  private readonly plugin: WorldModelPlugin;
  private readonly renderer: WebGLRenderer;
  private readonly fps = new Ring();
  private readonly modelMs = new Ring();
  private readonly latency = new Ring();
  private handed = 0;
  private handedAt = 0;
  private shown = 0;
  private onTime = 0;
  private late = 0;
  private skipped = 0;
  private lastTick = 0;
  private readonly lastPose = { x: 0, z: 0, yaw: 0 };
  private metres = 0;
  private degrees = 0;
  private auto = false;
  private readonly modeWindows: Record<string, number> = {};

  constructor(plugin: WorldModelPlugin, renderer: WebGLRenderer) {
    this.plugin = plugin;
    this.renderer = renderer;
    const periodMs = 1000 / plugin.clock.tickHz;
    // The hand-over time of the tick in flight: the runner takes one tick at a time. A probe must
    // never break the page: without a runner to watch, a frame's latency is its model time.
    const runner = (plugin.loop as { runner?: { submit?: (...args: never[]) => boolean } }).runner;
    const submit = runner?.submit?.bind(runner);
    if (runner && submit) {
      runner.submit = (...args: never[]): boolean => {
        const taken = submit(...args);
        if (taken) {
          this.handed++;
          this.handedAt = performance.now();
        }
        return taken;
      };
    }
    const watched = Boolean(submit);
    plugin.on('frame', (event) => {
      const { x, z, yaw } = event.pose;
      const last = this.lastPose;
      if (event.tick > 0) {
        this.metres += Math.hypot(x - last.x, z - last.z);
        this.degrees += (Math.abs(Math.atan2(Math.sin(yaw - last.yaw), Math.cos(yaw - last.yaw))) * 180) / Math.PI;
      }
      last.x = x;
      last.z = z;
      last.yaw = yaw;
      if (event.tick === 0) {
        if (performance.getEntriesByName('nextframe:first-truth').length === 0) performance.mark('nextframe:first-truth');
        this.lastTick = 0;
        return;
      }
      if (event.tick === 1 && performance.getEntriesByName('nextframe:first-model-frame').length === 0) performance.mark('nextframe:first-model-frame');
      if (!watched) this.handed = event.tick;
      const latency = watched ? performance.now() - this.handedAt : event.ms;
      this.shown++;
      if (latency <= periodMs) this.onTime++;
      else this.late++;
      this.skipped += Math.max(0, event.tick - this.lastTick - 1);
      this.lastTick = event.tick;
      this.latency.push(latency);
      this.modelMs.push(event.ms);
    });
    plugin.on('stats', (stats) => {
      this.fps.push(stats.displayFps);
      this.auto = (stats as { speculationAuto?: boolean }).speculationAuto === true;
      this.modeWindows[stats.speculationMode] = (this.modeWindows[stats.speculationMode] ?? 0) + 1;
    });
  }

  sample(): SoakPageSample {
    const { plugin } = this;
    const info = this.renderer.info;
    const memory = plugin.model.memory;
    const heap = (performance as { memory?: { usedJSHeapSize: number } }).memory;
    const runner = plugin.loop.runner as { busy?: boolean; scheduler?: { mode?: string; stats?: { framesPainted?: number; hits?: number; discarded?: number } } } | undefined;
    const stats = runner?.scheduler?.stats ?? {};
    return {
      at: performance.now(),
      heapBytes: heap ? heap.usedJSHeapSize : null,
      renderer: { geometries: info.memory.geometries, textures: info.memory.textures, programs: info.programs?.length ?? 0 },
      keyframes: memory ? memory.size : null,
      keyframeCapacity: memory ? memory.options.capacity : null,
      ticks: { handed: this.handed, shown: this.shown, onTime: this.onTime, late: this.late, skipped: this.skipped, inFlight: runner?.busy === true },
      frames: { painted: stats.framesPainted ?? 0, speculated: stats.hits ?? 0, discarded: stats.discarded ?? 0, mode: runner?.scheduler?.mode ?? 'unknown' },
      displayFps: this.fps.drain(),
      modelMs: this.modelMs.drain(),
      latencyMs: this.latency.drain(),
      moved: { metres: this.metres, degrees: this.degrees },
      speculation: { auto: this.auto, windows: { ...this.modeWindows } },
      tickHz: plugin.clock.tickHz,
      backend: plugin.model.backend,
    };
  }

  timeline(): SoakPageTimeline {
    const marks: Record<string, number> = {};
    for (const entry of performance.getEntriesByType('mark')) if (entry.name.startsWith('nextframe:')) marks[entry.name.slice('nextframe:'.length)] ??= entry.startTime;
    const file = this.plugin.model.manifest.modelFile;
    const download = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((r) => new URL(r.name).pathname.endsWith(`/${file}`));
    return { marks, modelRequest: download ? { start: download.startTime, end: download.responseEnd } : null };
  }
}
