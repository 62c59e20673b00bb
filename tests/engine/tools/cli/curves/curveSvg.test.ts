import { describe, expect, it } from 'vitest';
import { curveSvg } from '../../../../../engine/tools/cli/curves/curveSvg.ts';

describe('curveSvg', () => {
  const panels = [
    {
      title: 'one step',
      target: { value: 35.79, label: 'specialist 35.79' },
      series: [
        { label: 'fine-tuned', points: [[250, 35.9], [0, 35.5], [500, 36.1]] as [number, number][] },
        { label: 'from scratch', points: [[250, 24], [500, 27.5]] as [number, number][] },
      ],
    },
    { title: 'tick 16', series: [{ label: 'fine-tuned', points: [[250, 31]] as [number, number][] }] },
  ];

  it('draws a panel per metric, a line and a dot per point per run, the target dashed, and one legend entry per run', () => {
    const svg = curveSvg(panels);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="840"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(svg).toContain('specialist 35.79');
    // Points are drawn in step order whatever order they came in: x grows along the line.
    const first = svg.match(/<polyline points="([^"]+)"/)![1]!.split(' ').map((p) => Number(p.split(',')[0]));
    expect(first).toEqual([...first].sort((a, b) => a - b));
    // One legend entry per run label, however many panels it appears in.
    expect(svg.match(/>fine-tuned</g)).toHaveLength(1);
    expect(svg.match(/>from scratch</g)).toHaveLength(1);
  });

  it('puts the higher value higher on the page, and the target inside the axis range', () => {
    const svg = curveSvg([panels[0]!]);
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    // fine-tuned 35.5, 35.9, 36.1 (sorted by step), then scratch 24, 27.5
    expect(ys[0]!).toBeGreaterThan(ys[2]!);
    expect(ys[3]!).toBeGreaterThan(ys[0]!);
    const target = Number(svg.match(/<line x1="[\d.]+" y1="([\d.]+)"[^>]*stroke-dasharray/)![1]);
    expect(target).toBeGreaterThan(34);
    expect(target).toBeLessThan(280 - 40);
  });

  it('escapes labels and refuses a panel with nothing to draw', () => {
    expect(curveSvg([{ title: 'a < b & c', series: [{ label: 'x', points: [[1, 2]] }] }])).toContain('a &lt; b &amp; c');
    expect(() => curveSvg([{ title: 'empty', series: [{ label: 'x', points: [] }] }])).toThrow(/at least one run with at least one point/);
    expect(() => curveSvg([])).toThrow(/curveSvg/);
  });
});
