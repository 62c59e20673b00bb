import { BufferGeometry, Float32BufferAttribute } from 'three';

/**
 * A walkway along local x that follows `profile` ([x, top y] pairs, x increasing): `width` wide
 * (z) and `thickness` deep under its top. Arched bridges and curved ramps are made of one.
 */
export function deckGeometry(profile: readonly (readonly [number, number])[], width: number, thickness: number): BufferGeometry {
  const positions: number[] = [];
  const hz = width / 2;
  const quad = (a: number[], b: number[], c: number[], d: number[]): void => {
    positions.push(...a, ...b, ...c, ...a, ...c, ...d);
  };
  for (let i = 0; i + 1 < profile.length; i++) {
    const [x0, y0] = profile[i]!;
    const [x1, y1] = profile[i + 1]!;
    quad([x0, y0, hz], [x1, y1, hz], [x1, y1, -hz], [x0, y0, -hz]); // top
    quad([x0, y0 - thickness, -hz], [x1, y1 - thickness, -hz], [x1, y1 - thickness, hz], [x0, y0 - thickness, hz]); // bottom
    quad([x0, y0 - thickness, hz], [x1, y1 - thickness, hz], [x1, y1, hz], [x0, y0, hz]); // +z side
    quad([x1, y1 - thickness, -hz], [x0, y0 - thickness, -hz], [x0, y0, -hz], [x1, y1, -hz]); // −z side
  }
  const [fx, fy] = profile[0]!;
  const [lx, ly] = profile[profile.length - 1]!;
  quad([fx, fy - thickness, -hz], [fx, fy - thickness, hz], [fx, fy, hz], [fx, fy, -hz]);
  quad([lx, ly - thickness, hz], [lx, ly - thickness, -hz], [lx, ly, -hz], [lx, ly, hz]);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  return geometry;
}
