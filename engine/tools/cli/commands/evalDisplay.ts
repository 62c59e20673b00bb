import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayBars, evaluateDisplay, parseManifest, WorldModel, type DisplayReport, type DisplayRolloutFrames } from '../../../../worldmodel/index.ts';
import { loadEvalEpisodes } from '../../../capture/index.ts';
import { displayScale, loadUpsampler } from '../loadUpsampler.ts';
import { emit, progressBar } from '../output.ts';
import { writeContactSheet } from '../png.ts';
import { positiveInteger } from '../positiveInteger.ts';

export interface EvalDisplayOptions {
  model: string;
  episodes?: string;
  rollouts: string;
  rolloutTicks: string;
  seed: string;
  steps?: string;
  display: string;
  upsampler?: string;
  strip?: string;
  json?: boolean;
}

/** The strip's rows, top to bottom. */
const STRIP_ROWS = ['truth', 'bicubic', 'model', 'warp'] as const;

/**
 * `eval-fidelity --display <px>`: the model's display frames (its upsampler's) on rollouts,
 * scored at display resolution against the episodes' display frames, beside the model frame
 * enlarged bicubically and the display-resolution re-render, with issue 16's bars.
 */
export async function evalDisplay(options: EvalDisplayOptions): Promise<void> {
  const manifest = parseManifest(JSON.parse(readFileSync(join(options.model, 'manifest.json'), 'utf8')));
  const { width: W, height: H } = manifest.resolution;
  const scale = displayScale(options.display, W);
  const rolloutTicks = positiveInteger(options.rolloutTicks, '--rollout-ticks');
  const root = options.episodes ?? join(options.model, 'heldout');
  const episodes = loadEvalEpisodes(
    root,
    `Pass --episodes DIR, or record some with display frames and seeds outside the training set: npx nextframe record --scene ${manifest.training?.scene?.id ?? 'arena'} --episodes 4 --ticks 120 --seed-start 900000 --display ${W * scale} --out ${root}`,
  );
  const chosen = await loadUpsampler(options.upsampler, options.model, manifest, scale);
  if (chosen.note && !options.json) process.stderr.write(`note: ${chosen.note}\n`);
  const model = await WorldModel.load(options.model, { device: 'wasm', seed: Number(options.seed), display: chosen.upsampler, ...(options.steps ? { sampler: { steps: Number(options.steps) } } : {}) });
  const started = performance.now();
  let bar: ReturnType<typeof progressBar> | null = null;
  const stripTicks = [...new Set([1, 4, 8, 16, 32, rolloutTicks].filter((t) => t <= rolloutTicks))];
  const strip = new Map<string, Float32Array>(); // `${row}:${tick}`
  try {
    const report = await evaluateDisplay(model, episodes, {
      rolloutsPerEpisode: positiveInteger(options.rollouts, '--rollouts'),
      rolloutTicks,
      ...(options.strip
        ? {
            onRolloutFrame: (rollout: number, tick: number, f: DisplayRolloutFrames) => {
              if (rollout === 0 && stripTicks.includes(tick)) for (const row of STRIP_ROWS) strip.set(`${row}:${tick}`, f[row].slice());
            },
          }
        : {}),
      onProgress: (done, total) => {
        bar ??= progressBar('rolling out', total);
        bar.update(done);
      },
    });
    (bar as ReturnType<typeof progressBar> | null)?.stop();
    if (options.strip) writeContactSheet(options.strip, STRIP_ROWS.flatMap((row) => stripTicks.map((t) => strip.get(`${row}:${t}`)!)), W * scale, H * scale, stripTicks.length, 1);
    const bars = displayBars(report);
    const full = { model: manifest.id, episodesDir: root, upsamplerSource: chosen.source, ...(chosen.note ? { note: chosen.note } : {}), stepsPerFrame: model.sampler.steps, ...report, bars, barsMet: bars.every((b) => b.met), seconds: (performance.now() - started) / 1000 };
    emit(Boolean(options.json), full, () => describeDisplay(full.model, report, root, chosen.source, options.strip));
  } finally {
    await model.dispose();
    await chosen.upsampler.dispose();
  }
}

/** The text report: model, bicubic and warp columns, then each bar met or not. */
export function describeDisplay(modelId: string, r: DisplayReport, root: string, source: string, strip?: string): string {
  const cell = (v: number, digits: number, unit: string): string => `${v.toFixed(digits).padStart(7)}${unit}`;
  const row = (label: string, values: [number, number, number], digits = 2, unit = ' dB'): string => `  ${label.padEnd(28)}${values.map((v) => cell(v, digits, unit)).join(' ')}`;
  return [
    `${modelId} at display resolution ${r.displayWidth}×${r.displayHeight} (${r.scale}× the model frame), upsampler ${source === r.upsampler ? source : `${r.upsampler} (${source})`}, on ${r.rollouts} rollouts of ${r.rolloutTicks} ticks from ${r.episodes} held-out episodes (${root}):`,
    `${''.padEnd(30)}${'model'.padStart(10)}${'bicubic'.padStart(11)}${'warp'.padStart(11)}`,
    row('PSNR tick 16', [r.psnrDisplay16, r.psnrDisplay16Bicubic, r.psnrDisplay16Warp]),
    ...(r.rolloutTicks === 16 ? [] : [row(`PSNR tick ${r.rolloutTicks}`, [r.psnrDisplay64, r.psnrDisplay64Bicubic, r.psnrDisplay64Warp])]),
    row('detail ratio at tick 16', [r.detailRatioDisplay16, r.detailRatioDisplay16Bicubic, r.detailRatioDisplay16Warp], 2, '   '),
    row('flicker (8-bit levels)', [r.flickerDisplay, r.flickerDisplayBicubic, r.flickerDisplayWarp], 2, '   '),
    `  model: the upsampler's frames; bicubic: the model frame enlarged; warp: memory of the real display frames (then its own) at each recorded view, bicubic where it covers nothing.`,
    `  flicker: mean change from the previous tick over the pixels whose truth stayed still, over ${r.flickerTicks} ticks`,
    'bars:',
    ...displayBars(r).map((b) => `  ${b.met ? '✓ met    ' : '✗ not met'}  ${b.bar}: ${b.found}`),
    `  ${r.msPerFrame.toFixed(1)} ms per frame (WASM), ${r.msPerDisplayFrame.toFixed(1)} ms of it the display frame (memory's display render and the upsampling)`,
    ...(strip ? [`  strip: ${strip} (rows truth, bicubic, model, warp)`] : []),
  ].join('\n');
}
