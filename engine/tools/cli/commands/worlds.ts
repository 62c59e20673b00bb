import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { callPageApi, launchChromium, openReadyPage, resolveSceneSource, startRecorderServer, type ScenePreview } from '../../../capture/index.ts';
import { emit, progressBar } from '../output.ts';

interface WorldsCliOptions {
  sheet?: string;
  count: string;
  seedStart: string;
  size: string;
  scene: string;
  supersample: string;
  json?: boolean;
}

/** One seed built and viewed in the browser (`ScenePreviewer` in the recorder page), its pixels decoded. */
export type WorldView = Omit<ScenePreview, 'rgb'> & {
  /** HWC RGB bytes, row 0 at the top. */
  rgb: Uint8Array;
};

export interface PreviewWorldsOptions {
  /** Built-in world id or path to a scene module, as `--scene` takes it. */
  scene: string;
  seeds: readonly number[];
  /** Square view size, pixels. */
  size: number;
  supersample?: number;
  /** Also bring back each seed's colliders. */
  withLayout?: boolean;
  onWorld?: (done: number, total: number) => void;
}

/** Columns of the contact sheet. */
const COLUMNS = 8;
/** Colour of each generated family's label stripe (others: grey). */
const FAMILY_COLOURS: Record<string, [number, number, number]> = {
  courtyard: [230, 160, 40],
  rooms: [200, 70, 70],
  hills: [70, 170, 80],
  terraces: [150, 100, 210],
  bridges: [60, 140, 220],
};

/**
 * `nextframe worlds`: what a seeded scene module (by default the world generator) makes of a run
 * of seeds. Lists each seed's recipe (`worldRecipe`, when the module exports one) without a
 * browser; with `--sheet`, builds every seed in one headless Chromium page and tiles one
 * ground-truth view of each into a labelled contact sheet.
 */
export function registerWorlds(program: Command): void {
  program
    .command('worlds')
    .description('build a run of seeds of a seeded scene module (default: the world generator) and tile a view of each into a labelled contact sheet')
    .option('--sheet <png>', 'write the contact sheet here (8 columns; without it only the recipes are listed)')
    .option('--count <n>', 'how many seeds', '64')
    .option('--seed-start <n>', 'first seed', '0')
    .option('--size <px>', 'tile size, pixels', '128')
    .option('--scene <id|path>', 'a seeded scene module: a built-in world id or a path', 'generated')
    .option('--supersample <n>', 'render at n × the size and average down', '2')
    .option('--json', "print JSON (each seed's recipe, hash and cost) instead of text")
    .action(async (options: WorldsCliOptions) => {
      const count = integer(options.count, '--count', 1, 4096);
      const seedStart = integer(options.seedStart, '--seed-start', 0, 2 ** 31 - 1 - count);
      const size = integer(options.size, '--size', 16, 512);
      const supersample = integer(options.supersample, '--supersample', 1, 4);
      const seeds = Array.from({ length: count }, (_, i) => seedStart + i);
      const source = resolveSceneSource(options.scene);
      const recipeOf = await recipeFunction(source.file);
      const recipes = seeds.map((seed) => recipeOf?.(seed) ?? null);
      const familyOf = (i: number): string => String((recipes[i] as { family?: unknown } | null)?.family ?? '');
      const started = performance.now();
      let views: WorldView[] = [];
      if (options.sheet) {
        const bar = process.stderr.isTTY ? progressBar('building worlds', count) : null;
        views = await previewWorlds({
          scene: options.scene,
          seeds,
          size,
          supersample,
          onWorld: (done, total) => {
            bar?.update(done);
            if (!bar && (done % 8 === 0 || done === total)) process.stderr.write(`worlds: ${done}/${total} built\n`);
          },
        });
        bar?.stop();
        writeWorldSheet(options.sheet, views, size, views.map((v, i) => ({ text: `${v.seed} ${familyOf(i)}`.trim(), colour: FAMILY_COLOURS[familyOf(i)] ?? [120, 120, 120] })));
      }
      const seconds = (performance.now() - started) / 1000;
      const mean = (f: (v: WorldView) => number): number => (views.length ? views.reduce((a, v) => a + f(v), 0) / views.length : 0);
      const summary = {
        scene: source.id,
        seeds: [seedStart, seedStart + count - 1],
        sheet: options.sheet ?? null,
        seconds,
        legend: Object.fromEntries(Object.entries(FAMILY_COLOURS).map(([family, rgb]) => [family, `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`])),
        perWorld: views.length ? { buildMs: mean((v) => v.buildMs), renderMs: mean((v) => v.renderMs), drawCalls: mean((v) => v.drawCalls), maxDrawCalls: Math.max(...views.map((v) => v.drawCalls)), triangles: mean((v) => v.triangles) } : null,
        worlds: seeds.map((seed, i) => {
          const v = views[i];
          return {
            seed,
            recipe: recipes[i],
            ...(v ? { id: v.id, hash: v.hash, drawCalls: v.drawCalls, triangles: v.triangles, buildMs: Math.round(v.buildMs), pose: v.pose.map((n) => Math.round(n * 100) / 100), ...(v.spawnError ? { spawnError: v.spawnError } : {}) } : {}),
          };
        }),
      };
      emit(Boolean(options.json), summary, () => describe(summary, views, recipes));
      const failed = views.filter((v) => v.spawnError);
      if (failed.length) throw new NextframeError('no-spawn', `worlds: ${failed.length} of ${views.length} seeds have no spawn spot (seeds ${failed.map((v) => v.seed).join(', ')}): ${failed[0]!.spawnError}`);
    });
}

/**
 * Build each seed of a scene module in one headless Chromium page (the recorder page's
 * `preview`: the previous seed's scene is freed before the next is built) and bring back one
 * view of each, with its content hash and cost. The server and Chromium are closed however it ends.
 */
export async function previewWorlds(options: PreviewWorldsOptions): Promise<WorldView[]> {
  const source = resolveSceneSource(options.scene);
  const server = await startRecorderServer({ allow: [source.folder] });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await openReadyPage(browser, `${server.url}/engine/capture/recorder/recorder.html`, 'worlds: the recorder page', 60_000);
    const views: WorldView[] = [];
    for (const seed of options.seeds) {
      const view = await callPageApi<ScenePreview>(page, `worlds: seed ${seed}`, 'nextframeRecorder', 'preview', {
        scene: source.url,
        sceneId: source.id,
        seed,
        width: options.size,
        height: options.size,
        supersample: options.supersample ?? 2,
        withLayout: options.withLayout ?? false,
      });
      views.push({ ...view, rgb: new Uint8Array(Buffer.from(view.rgb, 'base64')) });
      options.onWorld?.(views.length, options.seeds.length);
    }
    return views;
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** The module's `worldRecipe(seed)` when it exports one (pure data, loaded in Node), else null. */
async function recipeFunction(file: string): Promise<((seed: number) => unknown) | null> {
  try {
    const module = (await import(pathToFileURL(file).href)) as { worldRecipe?: unknown };
    return typeof module.worldRecipe === 'function' ? (module.worldRecipe as (seed: number) => unknown) : null;
  } catch {
    // A module that only loads in a browser still renders; it just lists no recipes.
    return null;
  }
}

/**
 * Tile the views into a PNG, `COLUMNS` wide, each over a label strip: a coloured stripe (the
 * family) and the text in a 3 × 5 pixel font.
 */
export function writeWorldSheet(path: string, views: readonly WorldView[], size: number, labels: readonly { text: string; colour: [number, number, number] }[]): void {
  const cols = Math.max(1, Math.min(COLUMNS, views.length));
  const rows = Math.ceil(views.length / cols);
  const gap = 2;
  const scale = Math.max(1, Math.floor(size / 128));
  const labelHeight = 7 * scale;
  const cellW = size + gap;
  const cellH = size + labelHeight + gap;
  const W = cols * cellW + gap;
  const H = rows * cellH + gap;
  const png = new PNG({ width: W, height: H });
  for (let i = 0; i < W * H; i++) png.data.set([32, 32, 32, 255], 4 * i);
  const put = (x: number, y: number, rgb: readonly number[]): void => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    png.data.set([rgb[0]!, rgb[1]!, rgb[2]!, 255], 4 * (y * W + x));
  };
  views.forEach((view, index) => {
    const ox = gap + (index % cols) * cellW;
    const oy = gap + Math.floor(index / cols) * cellH;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const s = 3 * (y * size + x);
      put(ox + x, oy + y, [view.rgb[s]!, view.rgb[s + 1]!, view.rgb[s + 2]!]);
    }
    const label = labels[index] ?? { text: String(view.seed), colour: [120, 120, 120] as [number, number, number] };
    const stripe = 4 * scale;
    for (let y = 0; y < labelHeight; y++) for (let x = 0; x < stripe; x++) put(ox + x, oy + size + y, label.colour);
    drawText(label.text.toUpperCase(), ox + stripe + 2 * scale, oy + size + scale, scale, ox + size, (x, y) => put(x, y, [235, 235, 235]));
  });
  writeFileSync(path, PNG.sync.write(png));
}

/** 3 × 5 glyphs, rows top to bottom, as 3-bit masks. */
const FONT: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 7, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 1, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  A: [2, 5, 7, 5, 5], B: [6, 5, 6, 5, 6], C: [7, 4, 4, 4, 7], D: [6, 5, 5, 5, 6], E: [7, 4, 6, 4, 7], F: [7, 4, 6, 4, 4],
  G: [7, 4, 5, 5, 7], H: [5, 5, 7, 5, 5], I: [7, 2, 2, 2, 7], J: [1, 1, 1, 5, 7], K: [5, 5, 6, 5, 5], L: [4, 4, 4, 4, 7],
  M: [5, 7, 7, 5, 5], N: [6, 5, 5, 5, 5], O: [7, 5, 5, 5, 7], P: [7, 5, 7, 4, 4], Q: [7, 5, 5, 7, 1], R: [6, 5, 6, 5, 5],
  S: [7, 4, 7, 1, 7], T: [7, 2, 2, 2, 2], U: [5, 5, 5, 5, 7], V: [5, 5, 5, 5, 2], W: [5, 5, 7, 7, 5], X: [5, 5, 2, 5, 5],
  Y: [5, 5, 2, 2, 2], Z: [7, 1, 2, 4, 7], '-': [0, 0, 7, 0, 0], '.': [0, 0, 0, 0, 2], ' ': [0, 0, 0, 0, 0],
};

function drawText(text: string, x0: number, y0: number, scale: number, maxX: number, put: (x: number, y: number) => void): void {
  let x = x0;
  for (const ch of text) {
    const glyph = FONT[ch] ?? FONT[' ']!;
    if (x + 3 * scale > maxX) break;
    glyph.forEach((bits, row) => {
      for (let col = 0; col < 3; col++) {
        if (!(bits & (4 >> col))) continue;
        for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) put(x + col * scale + dx, y0 + row * scale + dy);
      }
    });
    x += 4 * scale;
  }
}

function describe(summary: { scene: string; seeds: number[]; sheet: string | null; seconds: number; perWorld: Record<string, number> | null; legend: Record<string, string> }, views: readonly WorldView[], recipes: readonly unknown[]): string {
  const lines: string[] = [];
  recipes.forEach((recipe, i) => {
    const r = recipe as { seed?: number; family?: string; variant?: string; palette?: { name?: string }; light?: { time?: string }; fog?: { level?: string }; landmark?: string } | null;
    const seed = summary.seeds[0]! + i;
    if (r) lines.push(`${seed}: ${r.family} ${r.variant}, ${r.palette?.name}, ${r.light?.time}, fog ${r.fog?.level}, ${r.landmark}`);
  });
  if (summary.sheet) {
    const p = summary.perWorld!;
    lines.push(`${summary.sheet}: ${views.length} worlds of ${summary.scene} (seeds ${summary.seeds[0]}–${summary.seeds[1]}) in ${summary.seconds.toFixed(1)} s`);
    lines.push(`per world: build ${p.buildMs!.toFixed(0)} ms, view ${p.renderMs!.toFixed(0)} ms, ${p.drawCalls!.toFixed(0)} draw calls (most ${p.maxDrawCalls}), ${p.triangles!.toFixed(0)} triangles`);
    if (recipes.some((r) => r)) lines.push(`label stripes: ${Object.entries(summary.legend).map(([family, colour]) => `${family} ${colour}`).join(', ')}`);
  }
  return lines.join('\n');
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new NextframeError('bad-argument', `${flag}: expected an integer from ${min} to ${max}, found "${text}".`);
  return n;
}
