// nextframe/r3f — the react-three-fiber binding: a world model in an r3f <Canvas>, the way
// @react-three/rapier puts physics there. React, react-dom and @react-three/fiber are optional
// peers: only this folder imports them, so nextframe/engine loads without them.

// The world: loads the model under <Suspense>, plays it in r3f's frame loop, disposes on unmount.
export { NextframeWorld, type NextframeWorldProps } from './NextframeWorld.tsx';
export { clearNextframe, preloadNextframe, type WorldResourceRequest, type WorldResources } from './worldResources.ts';

// What the model paints, and what physics moves over it.
export { Proxy, type ProxyProps } from './Proxy.tsx';
export { Overlay, type OverlayProps } from './Overlay.tsx';
export { OVERLAY_KINDS, type OverlayBodyOptions, type OverlayKind } from './overlayBody.ts';

// Hooks for components inside <NextframeWorld>.
export { useNextframe, type NextframeState } from './NextframeContext.ts';
export { useNextframeStats } from './useNextframeStats.ts';
