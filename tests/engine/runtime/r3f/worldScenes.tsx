// Small r3f scenes for the binding's Node tests: a floor and a pillar as proxies, a ball and a
// crate as overlays, and probes that hand what the hooks return to the test.
import { Suspense, type ReactNode } from 'react';
import { NextframeWorld, Overlay, Proxy, useNextframe, useNextframeStats, type NextframeState, type NextframeWorldProps } from '../../../../engine/runtime/r3f/index.ts';
import type { StatsEvent } from '../../../../engine/runtime/index.ts';

export const FIXTURE_MODEL = new URL('../../../fixtures/tiny/', import.meta.url).pathname;

/** Hands the world (`useNextframe()`) to the test on every render. */
export function WorldProbe({ onWorld }: { onWorld: (world: NextframeState) => void }): null {
  onWorld(useNextframe());
  return null;
}

/** Hands `useNextframeStats()` to the test on every render. */
export function StatsProbe({ onStats }: { onStats: (stats: StatsEvent | null) => void }): null {
  onStats(useNextframeStats());
  return null;
}

export interface BoxWorldProps {
  onWorld: (world: NextframeState) => void;
  onStats?: (stats: StatsEvent | null) => void;
  /** Show the pillar (a second <Proxy>). Default true. */
  pillar?: boolean;
  world?: Partial<NextframeWorldProps>;
  children?: ReactNode;
}

/** A floor, a pillar, a ball and a crate, played by the tiny fixture model without input. */
export function BoxWorld({ onWorld, onStats, pillar = true, world, children }: BoxWorldProps): ReactNode {
  return (
    <Suspense fallback={null}>
      <NextframeWorld model={FIXTURE_MODEL} device="wasm" input={false} spawn={{ x: 0, y: 0, z: 4, yaw: 0 }} {...world}>
        <Proxy name="level">
          <mesh position={[0, -0.25, 0]}>
            <boxGeometry args={[20, 0.5, 20]} />
            <meshLambertMaterial color={0xcdb78c} />
          </mesh>
        </Proxy>
        {pillar && (
          <Proxy name="pillar">
            <mesh position={[0, 2.75, -3]}>
              <cylinderGeometry args={[0.55, 0.55, 5.5]} />
              <meshLambertMaterial color={0xe0262b} />
            </mesh>
          </Proxy>
        )}
        <Overlay kind="ball" name="ball" position={[1.5, 2, -1]}>
          <mesh>
            <sphereGeometry args={[0.3]} />
            <meshLambertMaterial color={0xff5a1f} />
          </mesh>
        </Overlay>
        <Overlay kind="crate" name="crate" position={[-2, 0.5, -1]} rotation={[0, 0.5, 0]} scale={2}>
          <mesh position={[0, 0.1, 0]}>
            <boxGeometry args={[0.5, 0.4, 0.3]} />
            <meshLambertMaterial color={0xc08a4a} />
          </mesh>
        </Overlay>
        <WorldProbe onWorld={onWorld} />
        {onStats && <StatsProbe onStats={onStats} />}
        {children}
      </NextframeWorld>
    </Suspense>
  );
}
