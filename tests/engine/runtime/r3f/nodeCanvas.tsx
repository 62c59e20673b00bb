// react-three-fiber in plain Node, for the binding's unit tests: a root on a stand-in canvas with a
// stand-in renderer (nothing is drawn: the frame loop is never run), so components mount, mark
// their proxies and overlays in a real Rapier world, and unmount.
import { act, createRoot, extend, type RootState } from '@react-three/fiber';
import type { ReactNode } from 'react';
import * as THREE from 'three';
import type { WebGLRenderer } from 'three';

extend(THREE as unknown as Parameters<typeof extend>[0]);

/** The parts of WebGLRenderer that r3f and the plug-in's constructor touch. */
function stubRenderer(): WebGLRenderer {
  const domElement = { width: 320, height: 240, style: {}, addEventListener() {}, removeEventListener() {} };
  const noop = (): void => undefined;
  return {
    domElement,
    render: noop,
    setSize: noop,
    setPixelRatio: noop,
    getPixelRatio: () => 1,
    dispose: noop,
    forceContextLoss: noop,
    setAnimationLoop: noop,
    shadowMap: { enabled: false, type: THREE.PCFShadowMap, needsUpdate: false },
    toneMapping: THREE.ACESFilmicToneMapping,
    outputColorSpace: THREE.SRGBColorSpace,
    info: { memory: { geometries: 0, textures: 0 }, render: {}, autoReset: true, reset: noop },
    xr: { enabled: false, isPresenting: false, addEventListener: noop, removeEventListener: noop, setAnimationLoop: noop, getSession: () => null },
  } as unknown as WebGLRenderer;
}

export interface NodeCanvas {
  gl: WebGLRenderer;
  /** r3f's state of the root (scene, camera, gl…). */
  state(): RootState;
  render(children: ReactNode): Promise<void>;
  unmount(): Promise<void>;
}

export async function nodeCanvas(): Promise<NodeCanvas> {
  const canvas = { width: 320, height: 240, style: {}, parentElement: null, addEventListener() {}, removeEventListener() {} } as unknown as HTMLCanvasElement;
  const gl = stubRenderer();
  const root = createRoot(canvas);
  await root.configure({ gl, size: { width: 320, height: 240, top: 0, left: 0 }, dpr: 1, frameloop: 'never' });
  let store: ReturnType<typeof root.render> | null = null;
  return {
    gl,
    state: () => {
      if (!store) throw new Error('nodeCanvas: render something first.');
      return store.getState();
    },
    render: async (children) => {
      await act(async () => void (store = root.render(children)));
    },
    unmount: async () => {
      await act(async () => root.unmount());
    },
  };
}
