import { cameraBinToDegrees, type TraceRow } from '../../capture/index.ts';

/** One tick of a human trace as the keys held, the mouse moved (whole pixels) and a click. */
export interface TraceInputStep {
  /** `KeyboardEvent.code`s held during the tick. */
  keys: string[];
  /** Mouse movement over the tick, screen pixels (x right, y down). */
  dx: number;
  dy: number;
  /** The attack button went down this tick: a click (the demo throws a ball). */
  click: boolean;
}

/** The demo's default mouse look (engine DEFAULT_LOOK.mouseSensitivity), radians per pixel. */
export const DEMO_RADIANS_PER_PIXEL = 0.0025;

/**
 * A human input trace (VPT rows, see engine/capture/recorder/traces/README.md) as demo input:
 * forward/back/left/right → W/S/A/D, jump → Space, use → E (push), attack → a click on its
 * first tick (throw); sneak and sprint have no counterpart in the demo (one walking speed). The
 * camera bins become mouse pixels at `radiansPerPixel`, as the trace's own degrees per tick; the
 * fractions are carried to the next tick, so no turn is lost to rounding.
 */
export function traceInputSteps(rows: readonly TraceRow[], radiansPerPixel = DEMO_RADIANS_PER_PIXEL): TraceInputStep[] {
  const keys: [keyof TraceRow, string][] = [['forward', 'KeyW'], ['back', 'KeyS'], ['left', 'KeyA'], ['right', 'KeyD'], ['jump', 'Space'], ['use', 'KeyE']];
  const pixels = (degrees: number): number => (degrees * Math.PI) / 180 / radiansPerPixel;
  let carryX = 0;
  let carryY = 0;
  return rows.map((row, t) => {
    // Camera [pitchBin, yawBin]: yaw + is the mouse moving right, pitch + is looking down (mouse down).
    const x = pixels(cameraBinToDegrees(row.camera[1])) + carryX;
    const y = pixels(cameraBinToDegrees(row.camera[0])) + carryY;
    const dx = Math.round(x);
    const dy = Math.round(y);
    carryX = x - dx;
    carryY = y - dy;
    const previous = t > 0 ? rows[t - 1]! : rows[rows.length - 1]!;
    return { keys: keys.filter(([field]) => row[field]).map(([, code]) => code), dx, dy, click: Boolean(row.attack) && !previous.attack };
  });
}
