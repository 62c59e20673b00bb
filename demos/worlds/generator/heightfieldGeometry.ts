import { type BufferGeometry, PlaneGeometry } from 'three';

/**
 * Ground as a grid of `segments` × `segments` quads over `size` × `size` metres centred on the
 * origin, each vertex raised to `heightAt(x, z)`. Becomes a triangle-mesh collider like any proxy.
 */
export function heightfieldGeometry(size: number, segments: number, heightAt: (x: number, z: number) => number): BufferGeometry {
  const geometry = new PlaneGeometry(size, size, segments, segments);
  geometry.rotateX(-Math.PI / 2);
  const p = geometry.getAttribute('position');
  for (let i = 0; i < p.count; i++) p.setY(i, heightAt(p.getX(i), p.getZ(i)));
  geometry.computeVertexNormals();
  return geometry;
}
