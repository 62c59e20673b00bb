import { useLayoutEffect, type RefObject } from 'react';
import type { Object3D } from 'three';
import type { WorldModelPlugin } from '../index.ts';
import { markOf, remember, setMarkEnabled, type Mark } from './marks.ts';

/**
 * The mount/unmount life of a `<Proxy>` or `<Overlay>` (see `Mark`): on its first mount with
 * `plugin`, `make` marks the object and returns what it made; on later mounts of the same object
 * that is switched back on; on unmount, off. `make` is read once, when the object first mounts.
 */
export function useMark(ref: RefObject<Object3D | null>, plugin: WorldModelPlugin, make: (object: Object3D) => Omit<Mark, 'plugin'>): void {
  useLayoutEffect(() => {
    const object = ref.current;
    if (!object) return;
    let mark = markOf(object, plugin);
    if (mark) setMarkEnabled(mark, true);
    else remember(object, (mark = { plugin, ...make(object) }));
    const marked = mark;
    return () => setMarkEnabled(marked, false);
    // What `make` closes over (collider, kind, mass, shape) is read once, when the object mounts.
  }, [plugin]);
}
