import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { NoToneMapping, type PerspectiveCamera } from 'three';
import { NextframeError, type Device } from '../../../worldmodel/index.ts';
import { WorldModelPlugin, type FrameEvent, type StatsEvent, type WorldModelPluginOptions } from '../index.ts';
import { NextframeContext, type NextframeState } from './NextframeContext.ts';
import { resourceKey, worldResources } from './worldResources.ts';

/** What the binding supplies itself: r3f's renderer, scene and camera, the model, Rapier and its world. */
type Supplied = 'renderer' | 'scene' | 'camera' | 'model' | 'rapier' | 'physics';

export type NextframeWorldProps = Omit<WorldModelPluginOptions, Supplied> & {
  /** The model's folder (or manifest) URL, e.g. `/models/arena/`. Loading it suspends: wrap the world in `<Suspense>`. */
  model: string;
  /** Where the model runs. Default `auto`: WebGPU on a hardware GPU, else WASM (in onnxruntime's worker). */
  device?: Device;
  /** WASM threads. Default onnxruntime's: up to 4, one without cross-origin isolation. */
  threads?: number;
  /**
   * Display frames: `bicubic` (default) none, the model's frame stretched; `auto` the learned
   * upsampler in `upsampler/` beside the model's folder when there is one that fits the model (where
   * there is none the browser logs the 404 of asking); or an upsampler folder's URL. Read when the
   * world loads; `display` (the plug-in's) says how they are shown.
   */
  upsampler?: string;
  /** Physics and world frames stop while true; drawing goes on. */
  paused?: boolean;
  /** A new world frame is on screen (buffers are reused: copy what you keep). */
  onFrame?: (event: FrameEvent) => void;
  /** Measurements, about twice a second (`useNextframeStats` gives the latest to a component). */
  onStats?: (stats: StatsEvent) => void;
  /** The model threw: the world stops advancing, the last frame stays up. Default: `console.error`. */
  onError?: (error: Error) => void;
  /** `<Proxy>`, `<Overlay>`, lights, and components that use `useNextframe()`. */
  children?: ReactNode;
};

/**
 * A world model in a react-three-fiber `<Canvas>`: loads the model (suspending until it has), then
 * plays it with a `WorldModelPlugin` on r3f's renderer, scene and camera, in r3f's frame loop. The
 * children say what the model paints (`<Proxy>`) and what physics moves over it (`<Overlay>`).
 *
 * ```tsx
 * <Canvas shadows="percentage" flat>
 *   <Suspense fallback={null}>
 *     <NextframeWorld model="/models/arena/">
 *       <Proxy>…</Proxy>
 *       <Overlay kind="ball" position={[1, 2, -1]}>…</Overlay>
 *     </NextframeWorld>
 *   </Suspense>
 * </Canvas>
 * ```
 *
 * While it plays it takes over r3f's drawing (the plug-in draws the painted frame and the
 * overlays), drives the camera (the model's field of view and the player's pose; r3f leaves its
 * aspect alone) and draws without tone mapping (the model's frames are untoned renders, and
 * overlays must match them). The plug-in's options (`spawn`, `speculation`, `world`, …) are read
 * when the world starts; `view`, `fit` and `paused` follow their props. Unmounting disposes the
 * plug-in, its physics and input, and this world's model; the loaded model is freed a second
 * after no world uses it.
 */
export function NextframeWorld(props: NextframeWorldProps): ReactNode {
  const { model: url, device = 'auto', threads, upsampler, paused, onFrame, onStats, onError, children, ...options } = props;
  const key = resourceKey({ model: url, device, ...(threads !== undefined ? { threads } : {}), ...(upsampler !== undefined ? { upsampler } : {}) });
  const resources = worldResources.read(key); // suspends while loading
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera) as PerspectiveCamera & { manual?: boolean };
  const [state, setState] = useState<NextframeState | null>(null);
  const handlers = useRef({ onFrame, onStats, onError });
  const started = useRef(false);

  useLayoutEffect(() => {
    handlers.current = { onFrame, onStats, onError };
  });

  // Passive, not a layout effect: a Suspense boundary hiding the children for a while (a GLTF
  // still loading) must not dispose the world.
  useEffect(() => {
    if (!camera.isPerspectiveCamera) {
      throw new NextframeError('bad-options', `NextframeWorld: the world model needs r3f's camera to be a PerspectiveCamera (it paints through one), found ${camera.type}. Remove \`orthographic\` from <Canvas>.`);
    }
    const release = worldResources.retain(key);
    const model = resources.model.fork();
    // The plug-in takes over the camera's projection and the tone mapping; both go back after.
    const before = { manual: camera.manual ?? false, fov: camera.fov, aspect: camera.aspect, near: camera.near, far: camera.far, toneMapping: gl.toneMapping };
    const restore = (): void => {
      const { toneMapping, ...projection } = before;
      Object.assign(camera, projection).updateProjectionMatrix();
      gl.toneMapping = toneMapping;
    };
    camera.manual = true; // r3f would set the aspect to the canvas's; the plug-in letterboxes the model's
    gl.toneMapping = NoToneMapping;
    let plugin: WorldModelPlugin;
    try {
      plugin = new WorldModelPlugin({ ...options, renderer: gl, scene, camera, model, rapier: resources.rapier });
    } catch (error) {
      restore();
      release();
      void model.dispose();
      throw error;
    }
    const off = [
      plugin.on('frame', (event) => handlers.current.onFrame?.(event)),
      plugin.on('stats', (stats) => handlers.current.onStats?.(stats)),
      plugin.on('error', (error) => {
        const handler = handlers.current.onError;
        if (handler) handler(error);
        else console.error('NextframeWorld: the world model stopped:', error);
      }),
    ];
    setState({ plugin, model, physics: plugin.physics, rapier: resources.rapier, device: resources.device, fromCache: resources.fromCache });
    return () => {
      for (const unsubscribe of off) unsubscribe();
      started.current = false;
      setState(null);
      plugin.dispose();
      // The fork goes once no step of it is in flight; the loaded model when no world uses it.
      void plugin.idle().then(() => model.dispose(), (error: unknown) => console.error('NextframeWorld: disposing the model failed:', error));
      release();
      restore();
    };
    // The plug-in's options are read when the world starts; a new model, renderer, scene or camera starts a new one.
  }, [key, resources, gl, scene, camera]);

  const plugin = state?.plugin ?? null;
  useEffect(() => {
    if (!plugin) return;
    if (options.view !== undefined) plugin.view = options.view;
    if (options.fit !== undefined) plugin.fit = options.fit;
    plugin.paused = paused ?? false;
  }, [plugin, options.view, options.fit, paused]);

  // Priority 1: the plug-in draws, so r3f does not render the scene itself while the world plays.
  useFrame((_, delta) => {
    if (plugin && started.current && !plugin.isDisposed) plugin.update(delta);
  }, 1);

  if (!state) return null;
  return (
    <NextframeContext value={state}>
      {children}
      <Started flag={started} />
    </NextframeContext>
  );
}

/**
 * Rendered after the children, so its layout effect runs after theirs: the `<Proxy>` and
 * `<Overlay>` children are marked before the first update takes the start view.
 */
function Started({ flag }: { flag: RefObject<boolean> }): null {
  useLayoutEffect(() => {
    flag.current = true;
  }, [flag]);
  return null;
}
