import { BufferAttribute, type BufferGeometry, Color, type Material, type Matrix4, Mesh, Vector3 } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

const _colour = new Color();
const _a = new Vector3();
const _b = new Vector3();
const _c = new Vector3();

/**
 * Static geometry gathered per surface and merged into one mesh each, so a world of hundreds of
 * parts draws in a few dozen calls. Each part is placed in world space as it is added, gets
 * box-projected UVs (`metresPerRepeat` of the surface's texture per repeat, aligned across parts
 * so walls and floors continue seamlessly) and a vertex colour (`tint`, multiplied with the
 * texture), so one material serves many differently coloured things.
 */
export class MeshBatch {
  private readonly parts = new Map<string, BufferGeometry[]>();

  /** Add `geometry` (taken over: do not reuse it) under `surface`, moved by `matrix`. */
  add(surface: string, geometry: BufferGeometry, matrix: Matrix4, tint: number, metresPerRepeat: number): void {
    // Built-in geometries mix indexed and not (polyhedra): merging needs one kind.
    const part = geometry.index ? geometry.toNonIndexed() : geometry;
    if (part !== geometry) geometry.dispose();
    part.applyMatrix4(matrix);
    if (!part.getAttribute('normal')) part.computeVertexNormals();
    boxProjectUVs(part, metresPerRepeat);
    // A part may bring its own vertex colours (terrain shaded by height): the tint multiplies them.
    const count = part.getAttribute('position').count;
    const own = part.getAttribute('color');
    const colours = new Float32Array(count * 3);
    _colour.setHex(tint);
    for (let i = 0; i < count; i++) {
      colours.set(own ? [own.getX(i) * _colour.r, own.getY(i) * _colour.g, own.getZ(i) * _colour.b] : [_colour.r, _colour.g, _colour.b], i * 3);
    }
    part.setAttribute('color', new BufferAttribute(colours, 3));
    for (const name of Object.keys(part.attributes)) if (!['position', 'normal', 'uv', 'color'].includes(name)) part.deleteAttribute(name);
    part.clearGroups();
    const list = this.parts.get(surface) ?? [];
    list.push(part);
    this.parts.set(surface, list);
  }

  get isEmpty(): boolean {
    return this.parts.size === 0;
  }

  /** One mesh per surface, in the order surfaces were first used; the parts are freed. */
  build(material: (surface: string) => Material, name: string): Mesh[] {
    const meshes: Mesh[] = [];
    for (const [surface, parts] of this.parts) {
      const merged = parts.length === 1 ? parts[0]! : mergeGeometries(parts, false);
      if (!merged) throw new Error(`MeshBatch: could not merge the parts of surface "${surface}" (mismatched attributes).`);
      if (merged !== parts[0]) for (const part of parts) part.dispose();
      merged.computeBoundingSphere();
      const mesh = new Mesh(merged, material(surface));
      mesh.name = this.parts.size === 1 ? name : `${name}-${surface}`;
      mesh.matrixAutoUpdate = false;
      meshes.push(mesh);
    }
    this.parts.clear();
    return meshes;
  }
}

/**
 * UVs from world position, projected along each triangle's main axis (floors use x/z, walls x/y
 * or z/y); per triangle, so a smooth cylinder never mixes two projections in one face.
 */
function boxProjectUVs(geometry: BufferGeometry, metresPerRepeat: number): void {
  const p = geometry.getAttribute('position');
  const uv = new Float32Array(p.count * 2);
  const k = 1 / metresPerRepeat;
  for (let i = 0; i + 2 < p.count; i += 3) {
    _a.fromBufferAttribute(p, i);
    _b.fromBufferAttribute(p, i + 1).sub(_a);
    _c.fromBufferAttribute(p, i + 2).sub(_a);
    _b.cross(_c);
    const ax = Math.abs(_b.x);
    const ay = Math.abs(_b.y);
    const az = Math.abs(_b.z);
    for (let v = i; v < i + 3; v++) {
      const x = p.getX(v) * k;
      const y = p.getY(v) * k;
      const z = p.getZ(v) * k;
      if (ay >= ax && ay >= az) uv.set([x, z], 2 * v);
      else if (ax >= az) uv.set([z, y], 2 * v);
      else uv.set([x, y], 2 * v);
    }
  }
  geometry.setAttribute('uv', new BufferAttribute(uv, 2));
}
