import { assertView, checkStream, normaliseDepth, type Conditioning } from './Conditioning.ts';
import { NextframeError } from './errors.ts';
import type { ModelManifest } from './manifestSchema.ts';
import type { SpatialMemory } from './SpatialMemory.ts';

/** Where a frame's extra streams go: views into the model's inputs, present when the model declares the stream. */
export interface ConditioningStreams {
  /** (4, H, W): memory RGB in [−1, 1] then coverage in [0, 1]. */
  readonly memory: Float32Array | undefined;
  /** (1, H, W): proxy depth normalised as clamp(d/far, 0, 1)·2 − 1. */
  readonly depth: Float32Array | undefined;
}

/**
 * Check the caller's `conditioning` against the streams the model declares and write them into
 * `streams`: given raw streams are copied; otherwise the memory stream is `memory` rendered for
 * the view (empty, coverage 0, without a view or a memory) and the depth stream the view's proxy
 * depth, normalised. A model with a depth stream needs a view or a raw depth each frame.
 */
export function writeConditioning(conditioning: Conditioning, manifest: ModelManifest, memory: SpatialMemory | null, streams: ConditioningStreams): void {
  const HW = manifest.resolution.width * manifest.resolution.height;
  for (const key of Object.keys(conditioning)) {
    if (key === 'view') continue;
    if (key !== 'memory' && key !== 'depth') throw new NextframeError('bad-conditioning', `WorldModel: unknown conditioning stream "${key}"; expected view, memory or depth.`);
    if (!manifest.conditioning.includes(key)) {
      throw new NextframeError('bad-conditioning', `WorldModel: model "${manifest.id}" takes no "${key}" stream (it is conditioned on ${manifest.conditioning.join(', ')}).`);
    }
  }
  const view = conditioning.view;
  if (view) assertView(view, HW);
  if (streams.memory) {
    if (conditioning.memory) streams.memory.set(checkStream(conditioning.memory, 4 * HW, 'memory', '4·H·W: RGB in [−1, 1] then coverage in [0, 1]'));
    else if (view && memory) memory.render(view.pose, view.depth, streams.memory);
    else streams.memory.fill(0); // empty memory: coverage 0 everywhere
  }
  if (streams.depth) {
    if (conditioning.depth) streams.depth.set(checkStream(conditioning.depth, HW, 'depth', 'H·W normalised depth'));
    else if (view) normaliseDepth(view.depth, manifest.camera.far, streams.depth);
    else {
      throw new NextframeError('bad-conditioning', `WorldModel: model "${manifest.id}" needs proxy depth each step: pass { view: { pose, depth } } with ${HW} metres of depth (or a normalised { depth }).`);
    }
  }
}
