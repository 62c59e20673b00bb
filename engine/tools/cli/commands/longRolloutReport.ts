import type { LongRolloutReport } from '../../../../worldmodel/index.ts';
import { curveSvg } from '../curves/curveSvg.ts';

/** The text report of `eval-fidelity --long`: a row per window, the model beside warp and copy-last. */
export function describeLongRollout(modelId: string, r: LongRolloutReport, root: string): string {
  const f = (v: number | null, d = 2): string => (v === null || Number.isNaN(v) ? '–' : v.toFixed(d)).padStart(8);
  const lines = [
    `${modelId}: ${r.rollouts} rollout(s) of up to ${r.ticks} ticks through ${root}, in ${r.window}-tick windows`,
    `${'ticks'.padEnd(14)}${'model'.padStart(8)}${'warp'.padStart(8)}${'copy'.padStart(8)}${'detail'.padStart(8)}${'warp det'.padStart(9)}${'memory'.padStart(8)}${'keyfr'.padStart(7)}`,
    ...r.windows.map((w) => `${`${w.from}–${w.to}`.padEnd(14)}${f(w.psnr)}${f(w.warpPsnr)}${f(w.copyLastPsnr)}${f(w.detailRatio)}${f(w.warpDetailRatio).padStart(9)}${w.memoryCoverage === null ? '–'.padStart(8) : `${(w.memoryCoverage * 100).toFixed(0)}%`.padStart(8)}${w.keyframes === null ? '–'.padStart(7) : w.keyframes.toFixed(0).padStart(7)}`),
    `  PSNR in dB per frame against the truth; detail = gradient energy over the truth's (1 = as detailed);`,
    `  memory = share of each view the model's memory covered; keyfr = keyframes held at the window's end (capacity ${r.memoryCapacity ?? '–'})`,
    `  worst window: model − warp ${r.worstMarginOverWarp.toFixed(2)} dB, model − copy-last ${r.worstMarginOverCopyLast.toFixed(2)} dB; detail ratio ${r.detailRatioRange[0].toFixed(2)}–${r.detailRatioRange[1].toFixed(2)}`,
    `  ${r.msPerFrame.toFixed(1)} ms per frame (WASM)`,
  ];
  return lines.join('\n');
}

/** PSNR (model, warp, copy-last) and detail ratio per window against rollout ticks, as one SVG. */
export function longRolloutSvg(r: LongRolloutReport): string {
  const at = (pick: (w: LongRolloutReport['windows'][number]) => number): [number, number][] => r.windows.map((w) => [w.to, pick(w)]);
  return curveSvg(
    [
      { title: `PSNR per ${r.window}-tick window (${r.rollouts} rollouts)`, series: [{ label: 'model', points: at((w) => w.psnr) }, { label: 'geometry-only re-render', points: at((w) => w.warpPsnr) }, { label: 'copy-last', points: at((w) => w.copyLastPsnr) }] },
      { title: 'detail ratio (1 = as detailed as the truth)', unit: 'ratio', series: [{ label: 'model', points: at((w) => w.detailRatio) }, { label: 'geometry-only re-render', points: at((w) => w.warpDetailRatio) }] },
    ],
    'dB',
    'rollout tick',
  );
}
