import { Canvas } from '@react-three/fiber';
import { Suspense, useEffect, type ReactNode } from 'react';
import { NextframeWorld, Overlay, Proxy, useNextframeStats } from '../../engine/runtime/r3f/index.ts';

/** Inside the world: its rate in the page title (the hook re-renders with each stats event). */
function WorldRate(): null {
  const stats = useNextframeStats();
  useEffect(() => {
    if (stats) document.title = `${stats.worldFps.toFixed(0)} world frames/s`;
  }, [stats]);
  return null;
}

export function Example({ model = '/models/arena/' }: { model?: string }): ReactNode {
  return (
    // The camera stands at the player's eyes; the world model sets its field of view.
    <Canvas flat shadows="percentage" camera={{ position: [0, 1.6, 4] }}>
      <hemisphereLight args={[0xdde8ff, 0x8a7a60, 2]} />
      <Suspense fallback={null}>
        <NextframeWorld model={model}>
          {/* Your level: what the world model paints and the player collides with... */}
          <Proxy>
            <mesh position={[0, -0.25, 0]}>
              <boxGeometry args={[24, 0.5, 24]} />
              <meshLambertMaterial color={0xcdb78c} />
            </mesh>
            <mesh position={[0, 2.75, -3]}>
              <cylinderGeometry args={[0.55, 0.55, 5.5]} />
              <meshLambertMaterial color={0xe0262b} />
            </mesh>
          </Proxy>
          {/* ...and a physics object drawn over the painted world, hidden when it rolls behind the pillar. */}
          <Overlay kind="ball" position={[1.5, 2, -1]}>
            <mesh>
              <sphereGeometry args={[0.3]} />
              <meshLambertMaterial color={0xff5a1f} />
            </mesh>
          </Overlay>
          <WorldRate />
        </NextframeWorld>
      </Suspense>
    </Canvas>
  );
}
