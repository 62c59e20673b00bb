// The arena in react-three-fiber: the world model plays inside an r3f <Canvas>, the arena's
// proxies and overlays declared as children of <NextframeWorld>, a small HUD from
// useNextframeStats. ?model=URL (default the arena model), ?device=wasm|webgpu, ?seed=N (where
// the player starts), ?upsampler=auto|URL (display frames; default none); ?example plays the
// README's example instead.
import { Canvas } from '@react-three/fiber';
import { Component, StrictMode, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { arenaScene, buildThreeScene, pickSpawnPoint, type FrameEvent, type StatsEvent, type WorldModelPlugin } from '../../engine/runtime/index.ts';
import { NextframeWorld, useNextframe, type NextframeState } from '../../engine/runtime/r3f/index.ts';
import { SeededRandom, type Device, type Pose } from '../../worldmodel/index.ts';
import { Arena } from './Arena.tsx';
import { Example } from './Example.tsx';
import { Hud, StatsOut } from './Hud.tsx';

/** What a test (or a curious player, in the console) reads at window.__nextframeR3f. */
export interface R3fDemoStatus {
  /** A world frame painted by the model (not only the start view). */
  ready: boolean;
  /** World frames painted since the start. */
  frames: number;
  /** The pose of the frame on screen. */
  pose: Pose | null;
  stats: StatsEvent | null;
  backend: string;
  overlays: number;
  error: string;
  /** Unmount the React root (the world disposes itself). */
  unmount(): void;
  /** After `unmount`: whether the plug-in and its physics were disposed (null before a world existed). */
  disposed(): { plugin: boolean; physics: boolean } | null;
}

const params = new URLSearchParams(location.search);
const model = params.get('model') ?? '/models/arena/';
const device: Device = params.get('device') === 'wasm' || params.get('device') === 'webgpu' ? (params.get('device') as Device) : 'auto';
// Leave a core for drawing: on a 2-core machine the model gets one thread, the page the other.
const threads = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
const upsampler = params.get('upsampler');
const desc = arenaScene(0);
const built = buildThreeScene(desc);
const spawn = pickSpawnPoint(desc, new SeededRandom(Number(params.get('seed') ?? 3)));
let world: NextframeState | null = null;

const status: R3fDemoStatus = {
  ready: false,
  frames: 0,
  pose: null,
  stats: null,
  backend: '',
  overlays: 0,
  error: '',
  unmount: () => {
    root.unmount();
    built.dispose();
  },
  disposed: () => (world ? { plugin: world.plugin.isDisposed, physics: world.physics.isDisposed } : null),
};
(window as unknown as { __nextframeR3f: R3fDemoStatus }).__nextframeR3f = status;

function onFrame(event: FrameEvent): void {
  status.frames = event.tick;
  status.pose = { ...event.pose };
  if (event.tick > 0) status.ready = true;
}

function onError(error: Error): void {
  status.error = error.message;
  console.error('the world model stopped:', error);
}

/** Inside the world: what the status reports about it. */
function Expose(): null {
  const state = useNextframe();
  useEffect(() => {
    world = state;
    status.backend = state.model.backend;
    status.overlays = state.plugin.overlayBodies.length;
    (window as unknown as { __nextframePlugin: WorldModelPlugin }).__nextframePlugin = state.plugin; // for the console
  }, [state]);
  return null;
}

function App(): ReactNode {
  const [stats, setStats] = useState<StatsEvent | null>(null);
  const onStats = useCallback((event: StatsEvent) => {
    status.stats = event;
    setStats(event);
  }, []);
  return (
    <>
      <Failure>
        <Canvas flat shadows="percentage" dpr={1} gl={{ antialias: false }} onCreated={({ gl }) => gl.setClearColor(0x0b0d12)}>
          <Suspense fallback={null}>
            <NextframeWorld
              model={model}
              device={device}
              threads={threads}
              {...(upsampler ? { upsampler } : {})}
              spawn={spawn}
              world={{ id: desc.id }}
              onBeforeRender={(camera) => built.followCamera(camera)}
              onFrame={onFrame}
              onError={onError}
            >
              <Arena desc={desc} built={built} />
              <StatsOut onStats={onStats} />
              <Expose />
            </NextframeWorld>
          </Suspense>
        </Canvas>
      </Failure>
      <Hud stats={stats} />
    </>
  );
}

/** Shows why the world could not start (a model that does not load, no WebGL). */
class Failure extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    status.error = error.message;
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div id="failure">
        <h1>The world model could not start</h1>
        <p>{error.message}</p>
      </div>
    );
  }
}

const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{params.has('example') ? <Example model={model} /> : <App />}</StrictMode>);
