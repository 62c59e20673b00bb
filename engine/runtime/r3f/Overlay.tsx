import type { ThreeElements } from '@react-three/fiber';
import { useRef, type ReactNode } from 'react';
import type { Group } from 'three';
import { useNextframe } from './NextframeContext.ts';
import { createOverlayBody, type OverlayBodyOptions } from './overlayBody.ts';
import { useMark } from './useMark.ts';

export type OverlayProps = Omit<ThreeElements['group'], 'ref' | 'children'> &
  OverlayBodyOptions & {
    /** What is drawn: a mesh (or several) at the group's origin. */
    children?: ReactNode;
  };

/**
 * A physics object drawn over the world model's frames: a dynamic Rapier body (a `ball` or a
 * `crate`, shaped by what is inside) moves the group, and it is drawn with a depth test against
 * proxy depth, so it hides behind painted pillars and walls. Place it with the group's
 * `position` and `rotation`; the body starts there.
 *
 * Its body is in `useNextframe().plugin.overlayBodies` (`{ object, body }`, `object` this group)
 * for impulses. Shape, kind and mass are read when it mounts; unmounted while the world plays,
 * its body is switched off.
 */
export function Overlay({ children, kind, mass, radius, size, ...group }: OverlayProps): ReactNode {
  const { plugin } = useNextframe();
  const ref = useRef<Group>(null);
  useMark(ref, plugin, (object) => {
    const body = createOverlayBody(plugin.physics, object, { kind, ...(mass !== undefined ? { mass } : {}), ...(radius !== undefined ? { radius } : {}), ...(size !== undefined ? { size } : {}) });
    plugin.markOverlay(object, { body });
    return { colliders: [], body };
  });
  return (
    <group {...group} ref={ref}>
      {children}
    </group>
  );
}
