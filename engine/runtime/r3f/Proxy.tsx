import type { ThreeElements } from '@react-three/fiber';
import { useRef, type ReactNode } from 'react';
import type { Group } from 'three';
import { markProxyColliders } from './marks.ts';
import { useNextframe } from './NextframeContext.ts';
import { useMark } from './useMark.ts';

export type ProxyProps = Omit<ThreeElements['group'], 'ref' | 'children'> & {
  /** What the world model paints: meshes, groups, a loaded GLTF scene. */
  children?: ReactNode;
  /**
   * Make a fixed collider of every mesh inside (default true), so the player collides with it and
   * proxy depth (what hides overlays) sees it. False for what has no body: a sky dome, far hills.
   * Read when it mounts.
   */
  collider?: boolean;
};

/**
 * Proxy geometry: the meshes inside are what the world model paints. They become static
 * colliders (Rapier, for the player and for proxy depth) and are not drawn over the model's
 * frame; they are drawn in ground-truth renders, so the model starts from a real view of them.
 *
 * The meshes inside when it mounts get colliders (remount it, e.g. with a new `key`, after
 * changing them). Unmounted while the world plays, its colliders are switched off.
 */
export function Proxy({ children, collider = true, ...group }: ProxyProps): ReactNode {
  const { plugin } = useNextframe();
  const ref = useRef<Group>(null);
  useMark(ref, plugin, (object) => ({ colliders: markProxyColliders(plugin, object, collider), body: null }));
  return (
    <group {...group} ref={ref}>
      {children}
    </group>
  );
}
