import { ActionCodec } from '../../../worldmodel/ActionCodec.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { ActionSlot } from '../../../worldmodel/manifestSchema.ts';
import { actionStats, type ActionStats } from './actionStats.ts';

/**
 * Human input traces (VPT Minecraft recordings, 20 Hz): key states plus camera movement as
 * [pitchBin, yawBin] in 81 mu-law bins, 40 = still. See `engine/capture/recorder/traces/README.md`.
 */
export interface TraceRow {
  forward: number;
  back: number;
  left: number;
  right: number;
  jump: number;
  sneak: number;
  sprint: number;
  attack: number;
  use: number;
  camera: [number, number];
}

const KEYS = ['forward', 'back', 'left', 'right', 'jump', 'sneak', 'sprint', 'attack', 'use'] as const;

/** One JSON object per line → rows (blank lines skipped). */
export function parseTrace(text: string): TraceRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, i) => {
      const row = JSON.parse(line) as TraceRow;
      if (!Array.isArray(row.camera) || row.camera.length !== 2) throw new NextframeError('bad-trace', `parseTrace: line ${i + 1} has no camera [pitchBin, yawBin]; each line must be a JSON row as the trace recorder writes it.`);
      return row;
    });
}

/** VPT's camera quantisation (mu-law, mu = 10, ±10 degrees): bin 0–80 → degrees per tick. */
export function cameraBinToDegrees(bin: number): number {
  const v = (bin - 40) / 40;
  return (Math.sign(v) * (11 ** Math.abs(v) - 1)) / 10 * 10;
}

/**
 * A human trace in the model's action space: keys become forward/strafe at Minecraft's walking
 * speeds (4.3 m/s, sprint 5.6, sneak 1.3), camera degrees become yaw/pitch radians (mouse right =
 * yaw −, mouse up = pitch +), attack/use become interact; then everything is quantised with the
 * layout's bins, as the ActionCodec does.
 */
export function traceToBins(rows: readonly TraceRow[], slots: readonly ActionSlot[], tickHz = 20): Uint8Array[] {
  const codec = new ActionCodec(slots);
  return rows.map((r) => {
    const speed = (r.sneak ? 1.3 : r.sprint ? 5.6 : 4.3) / tickHz;
    return codec.quantise({
      forward: (r.forward - r.back) * speed,
      strafe: (r.right - r.left) * speed,
      up: 0,
      yaw: (-cameraBinToDegrees(r.camera[1]) * Math.PI) / 180,
      pitch: (-cameraBinToDegrees(r.camera[0]) * Math.PI) / 180,
      jump: r.jump,
      interact: r.attack || r.use ? 1 : 0,
    });
  });
}

/** Statistics of a trace in its own terms (keys + 81-level camera bins), as the trace README measures. */
export function nativeTraceStats(rows: readonly TraceRow[]): { wholeRepeat: number; keysRepeat: number; moving: number; turning: number } {
  let whole = 0;
  let keys = 0;
  rows.forEach((r, t) => {
    if (t === 0) return;
    const p = rows[t - 1]!;
    const keysSame = KEYS.every((k) => r[k] === p[k]);
    if (keysSame) keys++;
    if (keysSame && r.camera[0] === p.camera[0] && r.camera[1] === p.camera[1]) whole++;
  });
  const pairs = Math.max(1, rows.length - 1);
  const n = Math.max(1, rows.length);
  return {
    wholeRepeat: whole / pairs,
    keysRepeat: keys / pairs,
    moving: rows.filter((r) => r.forward || r.back || r.left || r.right).length / n,
    turning: rows.filter((r) => r.camera[0] !== 40 || r.camera[1] !== 40).length / n,
  };
}

/** A trace's statistics in the model's action space (comparable with a scripted player's). */
export function traceStats(rows: readonly TraceRow[], slots: readonly ActionSlot[]): ActionStats {
  return actionStats(traceToBins(rows, slots), slots);
}
