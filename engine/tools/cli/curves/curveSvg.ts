import { NextframeError } from '../../../../worldmodel/index.ts';

export interface CurveSeries {
  label: string;
  /** (training steps, value) pairs, in any order. */
  points: readonly (readonly [number, number])[];
}

export interface CurvePanel {
  title: string;
  /** A level to reach, drawn as a dashed line with its label (e.g. the specialist's number). */
  target?: { value: number; label: string };
  series: readonly CurveSeries[];
  /** This panel's y unit (default: the one `curveSvg` is given). */
  unit?: string;
}

// Okabe–Ito, colour-blind safe; the first two are the fine-tune and the scratch run.
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];
const PANEL_W = 420;
const PANEL_H = 280;
const PAD = { left: 52, right: 16, top: 34, bottom: 40 };

/**
 * Curves as one self-contained SVG: a panel per metric, value against training steps (or
 * another x: `xLabel`),
 * a line and dots per run, the target as a dashed line. Plain text, so it diffs and renders
 * anywhere a picture does (README, model cards, a browser).
 */
export function curveSvg(panels: readonly CurvePanel[], unit = 'dB', xLabel = 'training steps'): string {
  if (panels.length === 0 || panels.some((p) => p.series.every((s) => s.points.length === 0))) {
    throw new NextframeError('bad-argument', 'curveSvg: every panel needs at least one run with at least one point.');
  }
  const labels = [...new Set(panels.flatMap((p) => p.series.map((s) => s.label)))];
  const legendH = 22;
  const width = panels.length * PANEL_W;
  const height = PANEL_H + legendH;
  const parts = panels.map((panel, i) => drawPanel(panel, i * PANEL_W, labels, panel.unit ?? unit, xLabel));
  const legend = labels.map((label, i) => {
    const x = 12 + i * 200;
    return `<line x1="${x}" y1="${PANEL_H + 11}" x2="${x + 22}" y2="${PANEL_H + 11}" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2.5"/><text x="${x + 28}" y="${PANEL_H + 15}">${escape(label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
${legend.join('\n')}
</svg>
`;
}

function drawPanel(panel: CurvePanel, x0: number, labels: readonly string[], unit: string, xLabel: string): string {
  const points = panel.series.flatMap((s) => s.points);
  const xs = points.map(([x]) => x);
  const ys = [...points.map(([, y]) => y), ...(panel.target ? [panel.target.value] : [])];
  const xMax = Math.max(...xs, 1);
  const [yLo, yHi] = niceRange(Math.min(...ys), Math.max(...ys));
  const plotW = PANEL_W - PAD.left - PAD.right;
  const plotH = PANEL_H - PAD.top - PAD.bottom;
  const px = (x: number): number => x0 + PAD.left + (x / xMax) * plotW;
  const py = (y: number): number => PAD.top + (1 - (y - yLo) / (yHi - yLo)) * plotH;
  const out: string[] = [`<text x="${x0 + PAD.left}" y="20" font-weight="600">${escape(panel.title)}</text>`];
  for (const t of ticks(yLo, yHi)) {
    out.push(`<line x1="${px(0)}" y1="${py(t)}" x2="${px(xMax)}" y2="${py(t)}" stroke="#eee"/><text x="${px(0) - 6}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const t of ticks(0, xMax)) {
    out.push(`<text x="${px(t)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<text x="${px(xMax / 2)}" y="${PANEL_H - 6}" text-anchor="middle" fill="#555">${escape(xLabel)}</text>`);
  out.push(`<text x="${x0 + 12}" y="${py((yLo + yHi) / 2)}" fill="#555" transform="rotate(-90 ${x0 + 12} ${py((yLo + yHi) / 2)})" text-anchor="middle">${escape(unit)}</text>`);
  out.push(`<rect x="${px(0)}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  if (panel.target) {
    const y = py(panel.target.value);
    out.push(`<line x1="${px(0)}" y1="${y}" x2="${px(xMax)}" y2="${y}" stroke="#444" stroke-dasharray="5 4"/><text x="${px(xMax) - 4}" y="${y - 5}" text-anchor="end" fill="#444">${escape(panel.target.label)}</text>`);
  }
  for (const s of panel.series) {
    const colour = COLOURS[labels.indexOf(s.label) % COLOURS.length];
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [x, y] of sorted) out.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${colour}"/>`);
  }
  return out.join('\n');
}

/** A range around [lo, hi] with round ends, at least 1 wide. */
function niceRange(lo: number, hi: number): [number, number] {
  const a = Math.floor(lo - 0.5);
  const b = Math.ceil(hi + 0.5);
  return b - a < 1 ? [a, a + 1] : [a, b];
}

/** About five round tick values in [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toPrecision(6)));
  return out;
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
