import type { SoakReport } from './soakReport.ts';

/** One bar of the soak: passed, failed, or null when it does not apply (the detail says why). */
export interface SoakCheck {
  name: string;
  ok: boolean | null;
  detail: string;
}

/** The bars a long run must meet (issue 17's "Done when"; a one-minute CI run uses its own). */
export interface SoakBars {
  /** End vs at-capacity: heap and renderer counts may differ by this share. Default 0.10. */
  steadyShare: number;
  /** Display fps: median and 5th percentile over the run. Defaults 30 and 20. */
  fpsMedian: number;
  fpsP5: number;
  /** Navigation → first painted model frame, seconds. Default 15. */
  firstFrameSeconds: number;
}

export const DEFAULT_SOAK_BARS: SoakBars = { steadyShare: 0.1, fpsMedian: 30, fpsP5: 20, firstFrameSeconds: 15 };

type CheckedReport = Pick<SoakReport, 'samples' | 'atCapacity' | 'summary' | 'firstFrameSeconds'>;

/** Every bar checked against a finished run; pure. */
export function soakChecks(report: CheckedReport, bars: SoakBars = DEFAULT_SOAK_BARS): SoakCheck[] {
  const end = report.samples[report.samples.length - 1];
  const s = report.summary;
  const checks: SoakCheck[] = [];
  const ref = report.atCapacity;
  if (!ref || !end) {
    checks.push({ name: 'steady after memory filled', ok: null, detail: end && end.keyframes === null ? 'the model has no spatial memory' : 'spatial memory never reached capacity: nothing to compare with' });
  } else {
    const drift = (name: string, from: number | null, to: number | null): string | null => {
      if (from === null || to === null) return null;
      const share = from === 0 ? (to === 0 ? 0 : Infinity) : Math.abs(to - from) / from;
      return share <= bars.steadyShare ? null : `${name} ${fmt(from)} → ${fmt(to)} (${(100 * share).toFixed(0)} %)`;
    };
    const off = [drift('heap MB', ref.heapMB, end.heapMB), drift('geometries', ref.geometries, end.geometries), drift('textures', ref.textures, end.textures)].filter((d) => d !== null);
    checks.push({
      name: 'steady after memory filled',
      ok: off.length === 0,
      detail: off.length === 0 ? `heap ${fmt(ref.heapMB)} → ${fmt(end.heapMB)} MB, geometries ${ref.geometries} → ${end.geometries}, textures ${ref.textures} → ${end.textures} (minute ${fmt(ref.minute)} → ${fmt(end.minute)}), within ${100 * bars.steadyShare} %` : `more than ${100 * bars.steadyShare} % apart: ${off.join(', ')}`,
    });
  }
  const over = report.samples.filter((x) => x.keyframes !== null && x.keyframeCapacity !== null && x.keyframes > x.keyframeCapacity);
  const capacity = end?.keyframeCapacity ?? null;
  checks.push({ name: 'keyframes within capacity', ok: capacity === null ? null : over.length === 0, detail: capacity === null ? 'the model has no spatial memory' : over.length === 0 ? `at most ${Math.max(...report.samples.map((x) => x.keyframes ?? 0))} of ${capacity}` : `${over[0]!.keyframes} of ${capacity} at minute ${fmt(over[0]!.minute)}` });
  checks.push({ name: 'still playing at the end', ok: s.pageError === null, detail: s.pageError ?? 'no failure screen' });
  checks.push({ name: 'no console errors', ok: s.consoleErrors.count === 0, detail: s.consoleErrors.count === 0 ? '0' : `${s.consoleErrors.count}: ${s.consoleErrors.first.join(' | ')}` });
  checks.push({ name: 'every tick shown', ok: s.ticks.shown > 0 && s.ticks.never === 0, detail: `${s.ticks.shown} shown (${s.ticks.onTime} on time, ${s.ticks.late} late), ${s.ticks.never} never` });
  const { median, p5 } = s.displayFps;
  checks.push({ name: `display fps median ≥ ${bars.fpsMedian}, p5 ≥ ${bars.fpsP5}`, ok: median !== null && p5 !== null && median >= bars.fpsMedian && p5 >= bars.fpsP5, detail: `median ${fmt(median)}, p5 ${fmt(p5)}` });
  checks.push({ name: `first frame ≤ ${bars.firstFrameSeconds} s`, ok: report.firstFrameSeconds !== null && report.firstFrameSeconds <= bars.firstFrameSeconds, detail: report.firstFrameSeconds === null ? 'no model frame was painted' : `${report.firstFrameSeconds.toFixed(1)} s` });
  return checks;
}

function fmt(value: number | null): string {
  return value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(1);
}
