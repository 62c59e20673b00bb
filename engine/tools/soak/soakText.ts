import type { SoakReport } from './soakReport.ts';

/** A soak report as the lines the command prints without --json. */
export function soakText(r: SoakReport): string {
  const f = (v: number | null, digits = 1): string => (v === null ? '–' : v.toFixed(digits));
  const s = r.summary;
  const end = r.samples[r.samples.length - 1]!;
  const phases = Object.entries(r.firstFrame).map(([name, seconds]) => `${name} ${f(seconds)}`).join(', ');
  return [
    `soak: ${r.model} on ${r.backend}, ${(r.playedSeconds / 60).toFixed(1)} min of ${r.trace.file} (looping), speculation ${r.speculation}; ${r.machine.cpus} CPUs, load ${r.machine.loadStart.toFixed(2)} → ${r.machine.loadEnd.toFixed(2)}`,
    `first frame      ${f(r.firstFrameSeconds)} s after navigation (${phases} s)`,
    `ticks            ${s.ticks.onTime} on time, ${s.ticks.late} late (${(100 * s.ticks.lateShare).toFixed(1)} %), ${s.ticks.never} never`,
    `frames           ${s.frames.painted} painted, ${s.frames.speculated} served speculated`,
    `display fps      median ${f(s.displayFps.median, 0)}, p5 ${f(s.displayFps.p5, 0)}`,
    `model            median ${f(s.modelMs.median)} ms, p95 ${f(s.modelMs.p95)} ms; hand-over → on screen p95 ${f(s.latencyMs.p95)} ms`,
    `played           walked ${end.moved.metres.toFixed(0)} m, turned ${end.moved.degrees.toFixed(0)}°`,
    `at the end       heap ${f(end.heapMB)} MB, ${end.geometries} geometries, ${end.textures} textures, ${end.keyframes === null ? 'no memory' : `${end.keyframes}/${end.keyframeCapacity} keyframes`}`,
    `console errors   ${s.consoleErrors.count}${s.consoleErrors.first.length ? `: ${s.consoleErrors.first.join(' | ')}` : ''}; worker restarts ${s.workerRestarts}${s.pageError ? `; the page failed: ${s.pageError}` : ''}`,
    'checks:',
    ...r.checks.map((c) => `  ${c.ok === null ? '–' : c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`),
  ].join('\n');
}
