import type { SoakReport, SoakSample } from './soakReport.ts';

interface Series {
  name: string;
  color: string;
  values: (number | null)[];
}

const W = 520;
const H = 220;
const PAD = { left: 48, right: 12, top: 46, bottom: 30 };

/**
 * A soak report as one self-contained HTML page: the verdicts, where the first seconds went, and
 * an SVG line plot per measurement over the minutes of play (no scripts, no external files).
 */
export function soakHtml(report: SoakReport): string {
  // The sample taken when memory first filled is a point of the curves too (the end is compared with it).
  const s = [...report.samples, ...(report.atCapacity ? [report.atCapacity] : [])].sort((a, b) => a.minute - b.minute);
  const x = s.map((p) => p.minute);
  const perMinute = (pick: (p: SoakSample) => number): (number | null)[] =>
    s.map((p, i) => {
      const before = i === 0 ? null : s[i - 1]!;
      const minutes = p.minute - (before?.minute ?? 0);
      return minutes > 0 ? (pick(p) - (before ? pick(before) : 0)) / minutes : null;
    });
  const plots = [
    plot('JS heap (after GC)', 'MB', x, [{ name: 'used heap', color: '#2563eb', values: s.map((p) => p.heapMB) }]),
    plot('renderer.info', 'count', x, [
      { name: 'geometries', color: '#2563eb', values: s.map((p) => p.geometries) },
      { name: 'textures', color: '#dc2626', values: s.map((p) => p.textures) },
      { name: 'programs', color: '#6b7280', values: s.map((p) => p.programs) },
    ]),
    plot('spatial memory', 'keyframes', x, [
      { name: 'keyframes', color: '#2563eb', values: s.map((p) => p.keyframes) },
      { name: 'capacity', color: '#9ca3af', values: s.map((p) => p.keyframeCapacity) },
    ]),
    plot('display fps', 'fps', x, [
      { name: 'median', color: '#2563eb', values: s.map((p) => p.displayFps.median) },
      { name: 'p5', color: '#dc2626', values: s.map((p) => p.displayFps.p5) },
    ]),
    plot('model time per world frame, and hand-over → on screen', 'ms', x, [
      { name: 'model median', color: '#2563eb', values: s.map((p) => p.modelMs.median) },
      { name: 'model p95', color: '#93c5fd', values: s.map((p) => p.modelMs.p95) },
      { name: 'latency p95', color: '#dc2626', values: s.map((p) => p.latencyMs.p95) },
    ]),
    plot('ticks per minute', 'ticks', x, [
      { name: 'on time', color: '#16a34a', values: perMinute((p) => p.ticks.onTime) },
      { name: 'late', color: '#f59e0b', values: perMinute((p) => p.ticks.late) },
      { name: 'never', color: '#dc2626', values: perMinute((p) => p.ticks.never) },
    ]),
  ];
  const phases = Object.entries(report.firstFrame).map(([name, seconds]) => `<tr><td>${name}</td><td>${seconds === null ? '–' : seconds.toFixed(2)} s</td></tr>`);
  const checks = report.checks.map((c) => `<tr><td>${c.ok === null ? '–' : c.ok ? '✓' : '✗'}</td><td>${esc(c.name)}</td><td>${esc(c.detail)}</td></tr>`);
  const sum = report.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nextframe soak: ${esc(report.model)}, ${report.minutes} min</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:8px 0 16px}td,th{padding:2px 10px;text-align:left}
.plots{display:flex;flex-wrap:wrap;gap:12px}svg{background:#fafafa;border:1px solid #e5e7eb}</style></head><body>
<h1>Soak: ${esc(report.model)} on ${esc(report.backend)}, ${(report.playedSeconds / 60).toFixed(1)} min played</h1>
<p>${esc(report.page)} · trace ${esc(report.trace.file)} (${report.trace.ticks} ticks, looping) · ${report.tickHz} Hz · speculation ${esc(report.speculation)} ·
${report.machine.cpus} CPUs, load ${report.machine.loadStart.toFixed(2)} → ${report.machine.loadEnd.toFixed(2)}</p>
<p>Ticks: ${sum.ticks.onTime} on time, ${sum.ticks.late} late, ${sum.ticks.never} never · frames painted ${sum.frames.painted}, speculated ${sum.frames.speculated} ·
display fps median ${num(sum.displayFps.median)} (p5 ${num(sum.displayFps.p5)}) · model ${num(sum.modelMs.median)} ms (p95 ${num(sum.modelMs.p95)}) ·
console errors ${sum.consoleErrors.count} · worker restarts ${sum.workerRestarts}</p>
<h2>Checks</h2><table>${checks.join('')}</table>
<h2>First frame: ${report.firstFrameSeconds === null ? 'none' : `${report.firstFrameSeconds.toFixed(2)} s`}</h2><table>${phases.join('')}</table>
<h2>Over time</h2><div class="plots">${plots.join('\n')}</div>
</body></html>
`;
}

/** One SVG line plot of `series` over `x` (minutes); null values leave gaps. */
export function plot(title: string, unit: string, x: readonly number[], series: readonly Series[]): string {
  const ys = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const xMax = Math.max(1e-9, ...x);
  const yMax = ys.length === 0 ? 1 : Math.max(...ys) * 1.1 || 1;
  const px = (v: number): number => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const py = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const lines = series.map((s) => {
    const points = s.values.map((v, i) => (v === null || !Number.isFinite(v) ? null : `${px(x[i]!).toFixed(1)},${py(v).toFixed(1)}`));
    // Unbroken runs of points become polylines; a null ends a run.
    const runs: string[][] = [[]];
    for (const p of points) {
      if (p === null) runs.push([]);
      else runs[runs.length - 1]!.push(p);
    }
    const dots = points.filter((p) => p !== null).map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    const polylines = runs.filter((r) => r.length > 1).map((r) => `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${r.join(' ')}"/>`);
    return `${polylines.join('')}${dots.join('')}`;
  });
  const legend = series.map((s, i) => `<text x="${PAD.left + i * 110}" y="${PAD.top - 16}" fill="${s.color}" font-size="11">■ ${esc(s.name)}</text>`);
  const ticks = [0, 0.5, 1].map((f) => `<text x="${PAD.left - 6}" y="${py(f * yMax) + 4}" text-anchor="end" font-size="10">${num(f * yMax)}</text><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(f * yMax)}" y2="${py(f * yMax)}" stroke="#e5e7eb"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
<text x="${PAD.left}" y="14" font-size="12" font-weight="bold">${esc(title)} (${esc(unit)})</text>${legend.join('')}${ticks.join('')}
<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" font-size="10">minute ${num(xMax)}</text><text x="${PAD.left}" y="${H - 8}" font-size="10">0</text>
${lines.join('\n')}</svg>`;
}

function num(value: number | null): string {
  if (value === null) return '–';
  return Math.abs(value) >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
