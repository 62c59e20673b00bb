/** A rectangle in CSS pixels of the canvas, WebGL-style: origin at the bottom-left. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What the screen shows: the world model's frame, the ground-truth Three.js render, both, or the
 * spatial-memory stream the model was given for the frame shown (uncovered pixels marked).
 */
export type ViewMode = 'model' | 'truth' | 'split' | 'memory';

/** `contain`: the whole frame, letterboxed; `cover`: fill the area, cropping the frame's edges. */
export type Fit = 'contain' | 'cover';

/** Where each view goes: `area` is its share of the canvas (scissor), `frame` the full frame (viewport, may overflow the area when covering). */
export interface ViewLayout {
  model: { area: Rect; frame: Rect } | null;
  truth: { area: Rect; frame: Rect } | null;
  memory: { area: Rect; frame: Rect } | null;
}

/** The rectangle of aspect `aspect` (width/height) fitted into `area`, centred. */
export function fitRect(area: Readonly<Rect>, aspect: number, fit: Fit, out: Rect = { x: 0, y: 0, width: 0, height: 0 }): Rect {
  const byWidth = area.width / aspect; // height if the width is filled
  const fillWidth = fit === 'contain' ? byWidth <= area.height : byWidth >= area.height;
  out.width = fillWidth ? area.width : area.height * aspect;
  out.height = fillWidth ? byWidth : area.height;
  out.x = area.x + (area.width - out.width) / 2;
  out.y = area.y + (area.height - out.height) / 2;
  return out;
}

/**
 * Viewports for a view mode on a `width × height` canvas. Split view puts ground truth first:
 * left of the model on a landscape canvas, above it on a portrait one.
 */
export function layoutViews(mode: ViewMode, width: number, height: number, aspect: number, fit: Fit): ViewLayout {
  const whole: Rect = { x: 0, y: 0, width, height };
  if (mode !== 'split') {
    const view = { area: whole, frame: fitRect(whole, aspect, fit) };
    return { model: mode === 'model' ? view : null, truth: mode === 'truth' ? view : null, memory: mode === 'memory' ? view : null };
  }
  const landscape = width >= height;
  const first: Rect = landscape ? { x: 0, y: 0, width: Math.floor(width / 2), height } : { x: 0, y: Math.ceil(height / 2), width, height: Math.floor(height / 2) };
  const second: Rect = landscape ? { x: first.width, y: 0, width: width - first.width, height } : { x: 0, y: 0, width, height: Math.ceil(height / 2) };
  return { truth: { area: first, frame: fitRect(first, aspect, fit) }, model: { area: second, frame: fitRect(second, aspect, fit) }, memory: null };
}
