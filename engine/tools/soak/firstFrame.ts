import type { SoakPageTimeline } from '../../../demos/shared/soakProbe.ts';

/** Where the seconds from navigation to the first painted model frame went, in order. */
export interface FirstFrameBreakdown {
  /** Navigation → first painted model frame (tick 1 on screen); null when none came. */
  firstFrameSeconds: number | null;
  /** Each phase in seconds; null where its marks are missing. The phases add up to `firstFrameSeconds`. */
  phases: {
    /** Navigation → the demo's script runs (HTML, the module graph, three, Rapier, the ORT glue). */
    pageLoad: number | null;
    /** → the model file's request: picking WebGPU or WASM, probing and reading the manifest. */
    deviceAndManifest: number | null;
    /** → the model bytes are in (0 when they came from the Cache API). */
    modelDownload: number | null;
    /** → the ONNX session is ready (the worker, the WASM, the graph). */
    sessionCreate: number | null;
    /** → the plug-in is built: Rapier, the renderer, the scene, the physics world. */
    worldBuild: number | null;
    /** → the first update: the player settles, the ground-truth start view is rendered (tick 0). */
    firstTruth: number | null;
    /** → the first model step is on screen (tick 1). */
    firstModelStep: number | null;
  };
}

/**
 * The breakdown from the demo's performance marks (`nextframe:boot`, `model-loaded`,
 * `world-built`, `first-truth`, `first-model-frame`, all ms since navigation) and the model
 * file's resource timing. Without resource timing (a cache hit) the download and session
 * phases become one `sessionCreate` from the manifest on.
 */
export function firstFrameBreakdown(timeline: SoakPageTimeline): FirstFrameBreakdown {
  const m = timeline.marks;
  const request = timeline.modelRequest;
  const seconds = (from: number | undefined, to: number | undefined): number | null => (from === undefined || to === undefined ? null : Math.max(0, to - from) / 1000);
  const loaded = m['model-loaded'];
  return {
    firstFrameSeconds: seconds(0, m['first-model-frame']),
    phases: {
      pageLoad: seconds(0, m.boot),
      deviceAndManifest: request ? seconds(m.boot, request.start) : null,
      modelDownload: request ? seconds(request.start, request.end) : loaded === undefined ? null : 0,
      sessionCreate: seconds(request ? request.end : m.boot, loaded),
      worldBuild: seconds(loaded, m['world-built']),
      firstTruth: seconds(m['world-built'], m['first-truth']),
      firstModelStep: seconds(m['first-truth'], m['first-model-frame']),
    },
  };
}
