import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { SoakPageSample, SoakPageTimeline } from '../../../demos/shared/soakProbe.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { launchChromium, parseTrace, startRecorderServer } from '../../capture/index.ts';
import { firstFrameBreakdown } from './firstFrame.ts';
import { soakChecks, type SoakBars } from './soakChecks.ts';
import { summarise, toSoakSample, type SoakReport, type SoakSample } from './soakReport.ts';
import { TraceDriver } from './TraceDriver.ts';
import { traceInputSteps } from './traceInput.ts';

export interface SoakOptions {
  /** Minutes of play, counted from the first model frame on screen. */
  minutes: number;
  /** A human input trace (VPT JSON lines), replayed in a loop. Default: the repo's human-play-a. */
  trace?: string;
  /** A model folder to play instead of the demo's default (the arena's shipped model). */
  model?: string;
  /** Seconds between samples. Default 60. */
  sampleSeconds?: number;
  /** The bars the checks hold the run to. Default `DEFAULT_SOAK_BARS`. */
  bars?: SoakBars;
  /** One line per sample (and a few on the way in). */
  onProgress?: (line: string) => void;
}

/** The repository root: the soak plays the demo page there (demos/ is not in the npm package). */
const REPO = resolve(import.meta.dirname, '..', '..', '..');
const VIEWPORT = { width: 1280, height: 720 };
/** What `npm start` sends so onnxruntime-web may use WASM threads (vite.config.ts). */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
/** Navigation → first model frame may take this long before the run gives up. */
const START_TIMEOUT_MS = 180_000;

/**
 * Play the arena demo in headless Chromium for `minutes` with a real person's input trace as
 * keys and mouse, looping, and measure what long play does to the page: a sample every minute
 * (heap, renderer counts, memory keyframes, ticks on time / late / never, frames painted and
 * speculated, display fps, model ms, console errors), the first seconds broken down, and the
 * bars of a 30-minute run checked. The page is served by the repo's vite server with the demo's headers.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const { minutes } = options;
  const sampleSeconds = options.sampleSeconds ?? 60;
  const log = options.onProgress ?? (() => undefined);
  const trace = options.trace ?? join(REPO, 'engine', 'capture', 'recorder', 'traces', 'human-play-a.jsonl');
  if (!existsSync(trace)) throw new NextframeError('bad-argument', `soak: no trace at ${trace}; pass --trace with a JSON-lines input trace such as engine/capture/recorder/traces/human-play-a.jsonl.`);
  const rows = parseTrace(readFileSync(trace, 'utf8'));
  if (rows.length === 0) throw new NextframeError('bad-trace', `soak: the trace ${trace} has no rows.`);
  const steps = traceInputSteps(rows);
  const model = options.model ? modelUrl(options.model) : null;
  const query = `nohelp&lock=0${model ? `&model=${encodeURI(model.url)}` : ''}`;
  const path = `/demos/arena/?${query}`;
  const loadStart = loadavg()[0]!;

  const server = await startRecorderServer({ allow: model?.folder ? [model.folder] : [], headers: ISOLATION });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => errors.push(e.message));

    // The dev server sends the demo as hundreds of modules: room for them and the model file in
    // the resource timing buffer (250 entries by default), which times the model's download.
    await page.addInitScript('performance.setResourceTimingBufferSize(5000)');
    log(`soak: opening ${path}`);
    await page.goto(`${server.url}${path}`);
    await page.waitForFunction('window.__nextframe && (window.__nextframe.ready || window.__nextframe.error)', undefined, { timeout: START_TIMEOUT_MS, polling: 200 }).catch(() => undefined);
    const status = (await page.evaluate('({ ready: window.__nextframe?.ready === true, error: window.__nextframe?.error ?? "", model: window.__nextframe?.model ?? "" })')) as { ready: boolean; error: string; model: string };
    if (!status.ready) {
      throw new NextframeError('command-failed', `soak: the demo painted no world frame within ${START_TIMEOUT_MS / 1000} s${status.error ? `: ${status.error}` : ''}${errors.length ? ` (console: ${errors.slice(0, 3).join(' | ')})` : ''}.`);
    }
    const timeline = (await page.evaluate('window.__nextframe.debug.soak.timeline()')) as SoakPageTimeline;
    const first = firstFrameBreakdown(timeline);
    log(`soak: first model frame ${first.firstFrameSeconds?.toFixed(1) ?? '–'} s after navigation; playing ${minutes} min of ${basename(trace)}`);

    const driver = new TraceDriver(page, steps, VIEWPORT);
    const all = { displayFps: [] as number[], modelMs: [] as number[], latencyMs: [] as number[] };
    const samples: SoakSample[] = [];
    let atCapacity: SoakSample | null = null;
    let last: SoakPageSample | null = null;
    /** A sample now; what the page measured before play began (minute 0) stays out of the run's distributions. */
    const take = async (minute: number): Promise<SoakSample> => {
      const heapMB = await heapUsedMB(cdp);
      const raw = (await page.evaluate('window.__nextframe.debug.soak.sample()')) as SoakPageSample;
      if (!raw || typeof raw.ticks !== 'object') throw new NextframeError('command-failed', 'soak: the page gave no sample (window.__nextframe.debug.soak is missing: is the demo older than the soak?)');
      last = raw;
      if (minute > 0) {
        all.displayFps.push(...raw.displayFps);
        all.modelMs.push(...raw.modelMs);
        all.latencyMs.push(...raw.latencyMs);
      }
      return toSoakSample(raw, minute, heapMB, errors.length);
    };
    samples.push(await take(0));

    const tickMs = 1000 / 20; // the traces' rate
    const started = performance.now();
    const endAt = started + minutes * 60_000;
    let nextSample = started + sampleSeconds * 1000;
    let nextPoll = started + 5000;
    let due = started;
    while (performance.now() < endAt) {
      await driver.step();
      due += tickMs;
      const now = performance.now();
      // Behind by more than a second (a busy machine): skip ahead rather than rush the backlog.
      if (due - now < -1000) due = now;
      else if (due > now) await sleep(due - now);
      if (!atCapacity && performance.now() >= nextPoll) {
        nextPoll += 5000;
        if (await memoryFull(page)) {
          atCapacity = await take((performance.now() - started) / 60_000);
          log(`soak: spatial memory reached capacity at minute ${atCapacity.minute.toFixed(2)} (heap ${atCapacity.heapMB?.toFixed(1) ?? '–'} MB)`);
        }
      }
      if (performance.now() >= nextSample || performance.now() >= endAt) {
        const sample = await take(Math.min(minutes, (performance.now() - started) / 60_000));
        samples.push(sample);
        log(progressLine(sample, minutes, errors));
        nextSample += sampleSeconds * 1000;
      }
    }
    await driver.release();
    const playedSeconds = (performance.now() - started) / 1000;
    if (samples.length === 1) samples.push(await take(minutes));
    const pageError = ((await page.evaluate('window.__nextframe.error')) as string) || null;
    const summary = summarise(samples[samples.length - 1]!, all, errors, pageError);
    const lastSample = last as SoakPageSample | null;
    const report: Omit<SoakReport, 'checks'> = {
      page: path,
      model: status.model,
      backend: lastSample?.backend ?? '',
      tickHz: lastSample?.tickHz ?? 0,
      speculation: speculationText(lastSample),
      trace: { file: relative(REPO, resolve(trace)), ticks: rows.length },
      minutes,
      playedSeconds,
      machine: { cpus: cpus().length, loadStart, loadEnd: loadavg()[0]! },
      firstFrameSeconds: first.firstFrameSeconds,
      firstFrame: first.phases,
      samples,
      atCapacity,
      summary,
    };
    return { ...report, checks: soakChecks(report, options.bars) };
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** A model folder as the URL the soak's server has it at, and the folder to allow when outside the repo. */
export function modelUrl(dir: string): { url: string; folder: string | null } {
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'manifest.json'))) throw new NextframeError('bad-argument', `soak: --model ${dir} has no manifest.json; pass a model folder such as public/models/arena.`);
  const inside = (root: string): string | null => {
    const rel = relative(root, abs);
    return rel.startsWith('..') || isAbsolute(rel) ? null : rel.split('\\').join('/');
  };
  const underPublic = inside(join(REPO, 'public'));
  if (underPublic !== null) return { url: `/${underPublic}/`.replace(/\/+/g, '/'), folder: null };
  const underRepo = inside(REPO);
  if (underRepo !== null) return { url: `/${underRepo}/`.replace(/\/+/g, '/'), folder: null };
  return { url: `/@fs${abs}/`, folder: abs };
}

/** The minute's line on stderr. */
export function progressLine(s: SoakSample, minutes: number, errors: readonly string[]): string {
  const f = (v: number | null, digits = 0): string => (v === null ? '–' : v.toFixed(digits));
  const memory = s.keyframes === null ? 'no memory' : `keyframes ${s.keyframes}/${s.keyframeCapacity}`;
  return (
    `soak ${s.minute.toFixed(1)}/${minutes} min: heap ${f(s.heapMB, 1)} MB, ${s.geometries} geometries, ${s.textures} textures, ${memory}, ` +
    `ticks ${s.ticks.onTime} on time / ${s.ticks.late} late / ${s.ticks.never} never, frames ${s.frames.painted} painted / ${s.frames.speculated} speculated, ` +
    `fps ${f(s.displayFps.median)} (p5 ${f(s.displayFps.p5)}), model ${f(s.modelMs.median, 1)} ms, walked ${s.moved.metres.toFixed(0)} m, turned ${s.moved.degrees.toFixed(0)}°, ${errors.length} console errors`
  );
}

/** `auto: off 80 %, single 20 %` (shares of the stats windows in each mode), or the fixed mode. */
export function speculationText(sample: Pick<SoakPageSample, 'frames' | 'speculation'> | null): string {
  if (!sample) return '';
  const windows = Object.entries(sample.speculation?.windows ?? {}).filter(([, n]) => n > 0);
  const total = windows.reduce((sum, [, n]) => sum + n, 0);
  const shares = windows.sort((a, b) => b[1] - a[1]).map(([mode, n]) => `${mode} ${Math.round((100 * n) / total)} %`);
  if (!sample.speculation?.auto) return shares.length > 1 ? shares.join(', ') : sample.frames.mode;
  return `auto: ${shares.join(', ') || sample.frames.mode}`;
}

async function heapUsedMB(cdp: CDPSession): Promise<number | null> {
  try {
    // Collected first, so minute-to-minute garbage does not read as growth.
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  } catch {
    return null;
  }
}

function memoryFull(page: Page): Promise<boolean> {
  return page.evaluate('(() => { const m = window.__nextframePlugin?.model.memory; return m ? m.size >= m.options.capacity : false; })()') as Promise<boolean>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
