import { BoxGeometry, type BufferGeometry } from 'three';

/**
 * A ramp: footprint `width` (x) by `depth` (z), rising from 0 at +z to `height` at −z; the origin
 * is the centre of its bottom face. A box whose top edge at +z is pulled down to the floor.
 */
export function wedgeGeometry(width: number, height: number, depth: number): BufferGeometry {
  const geometry = new BoxGeometry(width, height, depth);
  geometry.translate(0, height / 2, 0);
  const p = geometry.getAttribute('position');
  for (let i = 0; i < p.count; i++) if (p.getY(i) > height / 2 && p.getZ(i) > 0) p.setY(i, 0);
  geometry.computeVertexNormals();
  return geometry;
}
