import {
  BackSide,
  BoxGeometry,
  BufferAttribute,
  BufferGeometry,
  Color,
  ConeGeometry,
  CylinderGeometry,
  DirectionalLight,
  Group,
  HemisphereLight,
  type Material,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  Scene,
  SphereGeometry,
  type Texture,
} from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import { canvasTexture } from './canvasTextures.ts';
import type { DynamicObject, SceneDescription, StaticShape } from './SceneDescription.ts';
import { rampVertices } from './shapeGeometry.ts';
import { ThreeScene } from './ThreeScene.ts';

export interface BuildThreeSceneOptions {
  /** Draw procedural canvas textures (needs a DOM). Default: true when `document` exists. */
  textures?: boolean;
  /** Shadow map size of the sun, pixels. Default 1024. */
  shadowMapSize?: number;
}

/**
 * Three.js meshes for a scene description: the same shapes the physics builder turns into
 * colliders, so proxy depth and the render agree. Lambert materials (cheap on software GL),
 * textures in world-scaled UVs, a gradient sky dome and a sun that casts shadows.
 */
export function buildThreeScene(desc: SceneDescription, options: BuildThreeSceneOptions = {}): ThreeScene {
  const useTextures = options.textures ?? typeof document !== 'undefined';
  const scene = new Scene();
  const materials = new Map<string, Material>();
  const textures: Texture[] = [];
  const materialFor = (id: string): Material => {
    let material = materials.get(id);
    if (material) return material;
    const spec = desc.materials[id];
    if (!spec) throw new NextframeError('bad-scene', `buildThreeScene: shape uses material "${id}", which the scene does not define; add it to the scene's materials or use one of ${Object.keys(desc.materials).join(', ')}.`);
    const map = useTextures && spec.pattern !== 'plain' ? canvasTexture(spec) : null;
    if (map) textures.push(map);
    material = new MeshLambertMaterial({ color: map ? 0xffffff : spec.color, map });
    materials.set(id, material);
    return material;
  };

  const statics = new Group();
  statics.name = 'statics';
  for (const shape of desc.statics) {
    const mesh = new Mesh(staticGeometry(shape, desc), materialFor(shape.material));
    mesh.name = shape.id;
    mesh.position.set(...shape.position);
    mesh.rotation.y = shape.yaw;
    mesh.castShadow = shape.id !== 'floor';
    mesh.receiveShadow = true;
    statics.add(mesh);
  }
  scene.add(statics);

  const dynamics = new Group();
  dynamics.name = 'dynamics';
  const dynamicMeshes = new Map<string, Mesh>();
  for (const object of desc.dynamics) {
    const mesh = new Mesh(dynamicGeometry(object, desc), materialFor(object.material));
    mesh.name = object.id;
    mesh.position.set(...object.position);
    if (object.kind === 'crate') mesh.rotation.y = object.yaw;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    dynamics.add(mesh);
    dynamicMeshes.set(object.id, mesh);
  }
  scene.add(dynamics);

  const { lighting } = desc;
  const sky = new Mesh(skyGeometry(lighting.skyTop, lighting.skyHorizon), new MeshBasicMaterial({ vertexColors: true, side: BackSide, depthWrite: false, fog: false }));
  sky.name = 'sky';
  sky.renderOrder = -1;
  sky.frustumCulled = false;
  scene.add(sky);

  scene.add(new HemisphereLight(lighting.ambientColor, 0x8a7a60, lighting.ambientIntensity));
  const sun = new DirectionalLight(lighting.sunColor, lighting.sunIntensity);
  const [sx, sy, sz] = lighting.sunDirection;
  const length = Math.hypot(sx, sy, sz);
  sun.position.set((sx / length) * 30, (sy / length) * 30, (sz / length) * 30);
  sun.castShadow = true;
  const reach = Math.max(desc.bounds.halfX, desc.bounds.halfZ) + 3;
  Object.assign(sun.shadow.camera, { left: -reach, right: reach, top: reach, bottom: -reach, near: 1, far: 70 });
  sun.shadow.mapSize.set(options.shadowMapSize ?? 1024, options.shadowMapSize ?? 1024);
  sun.shadow.bias = -0.0005;
  sun.shadow.normalBias = 0.03;
  scene.add(sun, sun.target);

  return new ThreeScene({ scene, statics, dynamics, dynamicMeshes, sky, sun, materials: [...materials.values(), sky.material], textures });
}

function staticGeometry(shape: StaticShape, desc: SceneDescription): BufferGeometry {
  const size = desc.materials[shape.material]?.textureSize ?? 1;
  switch (shape.kind) {
    case 'box':
      return boxUVs(new BoxGeometry(...shape.size).toNonIndexed(), size);
    case 'cylinder':
      return scaleUVs(new CylinderGeometry(shape.radius, shape.radius, shape.height, 24), (2 * Math.PI * shape.radius) / size, shape.height / size);
    case 'cone':
      return scaleUVs(new ConeGeometry(shape.radius, shape.height, 24), (2 * Math.PI * shape.radius) / size, shape.height / size);
    case 'sphere':
      return new SphereGeometry(shape.radius, 24, 16);
    case 'ramp':
      return boxUVs(rampGeometry(shape.size), size);
    case 'mesh': {
      // Placed at `position` like every shape, so the triangles go in relative to it.
      const [cx, cy, cz] = shape.position;
      const local = Float32Array.from(shape.vertices, (v, i) => v - (i % 3 === 0 ? cx : i % 3 === 1 ? cy : cz));
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(local, 3));
      geometry.setIndex([...shape.indices]);
      return boxUVs(geometry.toNonIndexed(), size);
    }
  }
}

function dynamicGeometry(object: DynamicObject, desc: SceneDescription): BufferGeometry {
  if (object.kind === 'ball') return new SphereGeometry(object.radius, 20, 14);
  return boxUVs(new BoxGeometry(...object.size).toNonIndexed(), desc.materials[object.material]?.textureSize ?? 1);
}

/** The wedge as triangles (non-indexed, flat normals). */
function rampGeometry(size: readonly [number, number, number]): BufferGeometry {
  const v = rampVertices(size);
  // Corners: 0–3 bottom (+z left, +z right, −z right, −z left), 4–5 high edge (−z left, right).
  const faces = [
    [0, 2, 1], [0, 3, 2], // bottom
    [0, 1, 5], [0, 5, 4], // slope
    [3, 4, 5], [3, 5, 2], // back (vertical, −z)
    [0, 4, 3], // left side
    [1, 2, 5], // right side
  ];
  const positions = new Float32Array(faces.length * 9);
  faces.forEach((face, f) => face.forEach((corner, k) => positions.set(v.subarray(corner * 3, corner * 3 + 3), f * 9 + k * 3)));
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  return geometry;
}

/** Planar UVs per triangle, by its dominant normal axis, in texture repeats of `size` metres. */
function boxUVs(geometry: BufferGeometry, size: number): BufferGeometry {
  geometry.computeVertexNormals();
  const p = geometry.getAttribute('position');
  const n = geometry.getAttribute('normal');
  const uv = new Float32Array(p.count * 2);
  for (let i = 0; i < p.count; i++) {
    const ax = Math.abs(n.getX(i));
    const ay = Math.abs(n.getY(i));
    const az = Math.abs(n.getZ(i));
    const [u, v] = ay >= ax && ay >= az ? [p.getX(i), p.getZ(i)] : ax >= az ? [p.getZ(i), p.getY(i)] : [p.getX(i), p.getY(i)];
    uv[2 * i] = u / size;
    uv[2 * i + 1] = v / size;
  }
  geometry.setAttribute('uv', new BufferAttribute(uv, 2));
  return geometry;
}

function scaleUVs(geometry: BufferGeometry, su: number, sv: number): BufferGeometry {
  const uv = geometry.getAttribute('uv');
  for (let i = 0; i < uv.count; i++) uv.setXY(i, uv.getX(i) * Math.max(1, Math.round(su)), uv.getY(i) * sv);
  return geometry;
}

/** A sphere coloured from the zenith to the horizon (below the horizon stays horizon-coloured). */
function skyGeometry(top: number, horizon: number): BufferGeometry {
  const geometry = new SphereGeometry(50, 24, 12);
  const p = geometry.getAttribute('position');
  const colors = new Float32Array(p.count * 3);
  const a = new Color(horizon);
  const b = new Color(top);
  const c = new Color();
  for (let i = 0; i < p.count; i++) {
    const t = Math.max(0, p.getY(i) / 50);
    c.copy(a).lerp(b, Math.pow(t, 0.6));
    colors.set([c.r, c.g, c.b], i * 3);
  }
  geometry.setAttribute('color', new BufferAttribute(colors, 3));
  return geometry;
}
