import type { ObservationSource } from '../types.ts';
import type { EvaluationReport } from './evaluatePolicies.ts';
import { stripDataUri } from './stripPng.ts';

/** Distinct colours for policies (colour-blind-safe Okabe–Ito order), markers for tasks. */
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;

/**
 * The evaluation as one self-contained HTML page: no scripts, no external files. A scatter plot
 * of world-model vs ground-truth success (one point per policy × task, Wilson intervals as
 * error bars, the y = x line where perfect agreement would put them), the table of every cell,
 * and image strips of each cell's first episode from both sources as PNG data URIs.
 */
export function htmlReport(report: EvaluationReport, title = 'nextframe policy evaluation'): string {
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  const sps = (source: ObservationSource): string => (report.stepsPerSecond[source] === undefined ? 'n/a' : report.stepsPerSecond[source]!.toFixed(1));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}td:first-child,td:nth-child(2){text-align:left}
.strip{margin:.2em 0 1em}.strip img{image-rendering:pixelated;display:block;max-width:100%;height:auto}.ok{color:#080}.fail{color:#a00}
figure{margin:0}figcaption{color:#555}
</style></head><body>
<h1>${escape(title)}</h1>
<p>${report.policies.length} policies × ${report.tasks.length} task${report.tasks.length === 1 ? '' : 's'} (${report.tasks.map(escape).join(', ')}) × ${report.sources.length} sources,
${report.episodes} seeded episodes each (seeds ${report.seedStart}–${report.seedStart + report.episodes - 1}, the same in every cell).</p>
<p><b>Pearson r = ${fmt(report.pearson)}</b>, <b>Spearman ρ = ${fmt(report.spearman)}</b> between world-model and ground-truth success rates over ${report.pairs.length} policy × task pairs.
Ranking the policies by their mean success over the tasks: Pearson r = ${fmt(report.policyPearson)}, Spearman ρ = ${fmt(report.policySpearman)}
(${report.policyMeans.map((p) => `${escape(p.policy)} ${(100 * p.worldmodel).toFixed(0)} / ${(100 * p.groundtruth).toFixed(0)} %`).join(', ')}; world model / ground truth).
Environment steps per second (batch ${report.batch}): world model ${sps('worldmodel')}, ground truth ${sps('groundtruth')}. Wall time ${report.seconds.toFixed(0)} s.</p>
<figure>${scatterSvg(report)}<figcaption>Success rate in the world model vs in ground truth; bars are Wilson 95 % intervals; the dashed line is y = x. Points of different policies are nudged a few pixels apart so ties stay visible.</figcaption></figure>
<h2>Results</h2>
${table(report)}
<h2>Example rollouts</h2>
<p>The first episode (seed ${report.seedStart}) of every cell, evenly spaced frames, as each policy saw them.</p>
${strips(report)}
</body></html>
`;
}

function scatterSvg(report: EvaluationReport): string {
  const size = 420;
  const pad = 48;
  const span = size - 2 * pad;
  const X = (v: number): number => pad + v * span;
  const Y = (v: number): number => size - pad - v * span;
  const parts: string[] = [];
  parts.push(`<rect x="${pad}" y="${pad}" width="${span}" height="${span}" fill="#fafafa" stroke="#999"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = t / 4;
    parts.push(`<line x1="${X(v)}" y1="${Y(0)}" x2="${X(v)}" y2="${Y(0) + 5}" stroke="#999"/><text x="${X(v)}" y="${Y(0) + 18}" text-anchor="middle" font-size="11">${v}</text>`);
    parts.push(`<line x1="${X(0) - 5}" y1="${Y(v)}" x2="${X(0)}" y2="${Y(v)}" stroke="#999"/><text x="${X(0) - 8}" y="${Y(v) + 4}" text-anchor="end" font-size="11">${v}</text>`);
  }
  parts.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#888" stroke-dasharray="5 4"/>`);
  parts.push(`<text x="${size / 2}" y="${size - 8}" text-anchor="middle" font-size="12">ground-truth success rate</text>`);
  parts.push(`<text x="14" y="${size / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${size / 2})">world-model success rate</text>`);
  report.policies.forEach((policy, pi) => {
    const colour = COLOURS[pi % COLOURS.length]!;
    // Policies often tie (same rate in both sources): nudge each sideways a little so none hides another.
    const nudge = (pi - (report.policies.length - 1) / 2) * 3;
    report.tasks.forEach((task, ti) => {
      const wm = policy.tasks[task]?.worldmodel;
      const gt = policy.tasks[task]?.groundtruth;
      if (!wm || !gt) return;
      const cx = X(gt.rate) + nudge;
      const cy = Y(wm.rate);
      parts.push(`<g stroke="${colour}" opacity=".55"><line x1="${X(gt.low) + nudge}" y1="${cy}" x2="${X(gt.high) + nudge}" y2="${cy}"/><line x1="${cx}" y1="${Y(wm.low)}" x2="${cx}" y2="${Y(wm.high)}"/></g>`);
      parts.push(`${marker(MARKERS[ti % MARKERS.length]!, cx, cy, colour)}<title>${escape(policy.name)} / ${escape(task)}: WM ${wm.rate.toFixed(2)}, GT ${gt.rate.toFixed(2)}</title>`);
    });
  });
  // Legend: policies by colour, tasks by marker.
  const legend: string[] = [];
  report.policies.forEach((p, i) => legend.push(`<rect x="${size + 10}" y="${pad + i * 18 - 9}" width="10" height="10" fill="${COLOURS[i % COLOURS.length]}"/><text x="${size + 26}" y="${pad + i * 18}" font-size="12">${escape(p.name)}</text>`));
  const top = pad + report.policies.length * 18 + 14;
  report.tasks.forEach((t, i) => legend.push(`${marker(MARKERS[i % MARKERS.length]!, size + 15, top + i * 18 - 4, '#555')}<text x="${size + 26}" y="${top + i * 18}" font-size="12">${escape(t)}</text>`));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size + 170}" height="${size}" viewBox="0 0 ${size + 170} ${size}" role="img" aria-label="world-model vs ground-truth success">${parts.join('')}${legend.join('')}</svg>`;
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const r = 5.5;
  switch (kind) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}"/>`;
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case 'triangle':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z" fill="${colour}"/>`;
  }
}

function table(report: EvaluationReport): string {
  const cell = (c: { rate: number; low: number; high: number; successes: number; episodes: number } | undefined): string =>
    c ? `${(100 * c.rate).toFixed(0)} % <small>[${(100 * c.low).toFixed(0)}, ${(100 * c.high).toFixed(0)}] (${c.successes}/${c.episodes})</small>` : 'n/a';
  const rows: string[] = [];
  for (const policy of report.policies) {
    for (const task of report.tasks) {
      const c = policy.tasks[task] ?? {};
      rows.push(
        `<tr><td>${escape(policy.name)}</td><td>${escape(task)}</td><td>${cell(c.worldmodel)}</td><td>${cell(c.groundtruth)}</td>` +
          `<td>${c.worldmodel?.meanTicks.toFixed(0) ?? 'n/a'} / ${c.groundtruth?.meanTicks.toFixed(0) ?? 'n/a'}</td>` +
          `<td>${c.worldmodel?.meanReturn.toFixed(2) ?? 'n/a'} / ${c.groundtruth?.meanReturn.toFixed(2) ?? 'n/a'}</td></tr>`,
      );
    }
  }
  return `<table><thead><tr><th>policy</th><th>task</th><th>world model success [95 % CI]</th><th>ground truth success [95 % CI]</th><th>mean ticks WM / GT</th><th>mean return WM / GT</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function strips(report: EvaluationReport): string {
  const out: string[] = [];
  for (const policy of report.policies) {
    for (const task of report.tasks) {
      const mine = report.strips.filter((s) => s.policy === policy.name && s.task === task);
      if (mine.length === 0) continue;
      out.push(`<h3>${escape(policy.name)} — ${escape(task)}</h3>`);
      for (const s of mine) {
        if (s.frames.length === 0) continue;
        const verdict = s.success ? '<span class="ok">success</span>' : '<span class="fail">no success</span>';
        out.push(
          `<div class="strip"><div>${s.source === 'worldmodel' ? 'world model' : 'ground truth'} (${verdict}; ticks ${s.ticks.join(', ')})</div>` +
            `<img alt="${escape(`${policy.name} ${task} ${s.source}`)}" src="${stripDataUri(s.frames, s.width, s.height)}"></div>`,
        );
      }
    }
  }
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
