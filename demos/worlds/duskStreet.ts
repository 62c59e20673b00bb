// A street at dusk, written as a user would write their own scene: plain three.js (no nextframe
// imports), canvas textures, a GLB lamp post loaded with GLTFLoader, fog and a low orange sun.
// Long and narrow where the arena is square and open, lit from one side, ending in a small
// square with a fountain at the north end. Regenerate the lamp with
// `npx tsx demos/worlds/assets/makeStreetLamp.ts`.
import {
  BackSide,
  BoxGeometry,
  BufferAttribute,
  type Camera,
  CanvasTexture,
  Color,
  CylinderGeometry,
  DirectionalLight,
  Fog,
  Group,
  HemisphereLight,
  Mesh,
  MeshBasicMaterial,
  MeshLambertMaterial,
  type Object3D,
  RepeatWrapping,
  Scene,
  SphereGeometry,
  SRGBColorSpace,
  type Texture,
} from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

const STREET_HALF_WIDTH = 6; // kerb to kerb 8 m, plus 2 m of pavement each side
const STREET_HALF_LENGTH = 30;
const FACADES = [0xb5654a, 0xd8b27a, 0x4f7c82, 0x8c5a7a, 0xcfc6b0, 0x6b7f4a, 0xa84238, 0x5a6a9a];

/** Small seeded generator, so the same seed builds the same street. */
function random(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function canvas(width: number, height: number, draw: (g: CanvasRenderingContext2D) => void, repeat: [number, number] = [1, 1]): Texture {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  draw(c.getContext('2d')!);
  const texture = new CanvasTexture(c);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.repeat.set(...repeat);
  return texture;
}

/** A facade: plaster colour, rows of windows, some lit warm (it is getting dark). */
function facade(color: number, floors: number, bays: number, rng: () => number): Texture {
  const base = new Color(color);
  return canvas(bays * 32, floors * 32, (g) => {
    g.fillStyle = `#${base.getHexString()}`;
    g.fillRect(0, 0, bays * 32, floors * 32);
    g.fillStyle = `#${base.clone().multiplyScalar(0.8).getHexString()}`;
    for (let f = 1; f < floors; f++) g.fillRect(0, f * 32 - 3, bays * 32, 3); // floor bands
    for (let f = 0; f < floors; f++) {
      for (let b = 0; b < bays; b++) {
        const lit = rng() < 0.35;
        g.fillStyle = lit ? '#ffd27a' : '#28313a';
        g.fillRect(b * 32 + 9, f * 32 + 7, 14, 17);
      }
    }
  });
}

function box(size: [number, number, number], material: MeshLambertMaterial | MeshLambertMaterial[], position: [number, number, number], name: string): Mesh {
  const mesh = new Mesh(new BoxGeometry(...size), material);
  mesh.position.set(...position);
  mesh.name = name;
  mesh.castShadow = true;
  mesh.receiveShadow = true;
  return mesh;
}

/** Gradient sky dome: violet overhead, orange at the horizon, following the camera. */
function skyDome(): Mesh {
  const geometry = new SphereGeometry(55, 24, 12);
  const p = geometry.getAttribute('position');
  const colours = new Float32Array(p.count * 3);
  const horizon = new Color(0xf08a4b);
  const top = new Color(0x2b2a5c);
  const c = new Color();
  for (let i = 0; i < p.count; i++) {
    c.copy(horizon).lerp(top, Math.pow(Math.max(0, p.getY(i) / 55), 0.5));
    colours.set([c.r, c.g, c.b], i * 3);
  }
  geometry.setAttribute('color', new BufferAttribute(colours, 3));
  const sky = new Mesh(geometry, new MeshBasicMaterial({ vertexColors: true, side: BackSide, depthWrite: false, fog: false }));
  sky.name = 'sky';
  sky.renderOrder = -1;
  sky.frustumCulled = false;
  return sky;
}

export default async function createScene({ seed }: { seed: number }) {
  const rng = random(seed);
  const scene = new Scene();
  scene.fog = new Fog(0x8a6a86, 14, 58);
  const sky = skyDome();
  scene.add(sky);

  // Ground: asphalt with lane marks between raised pavements.
  const asphalt = canvas(64, 256, (g) => {
    g.fillStyle = '#3a3b40';
    g.fillRect(0, 0, 64, 256);
    g.fillStyle = '#e8e2c8';
    for (let y = 0; y < 256; y += 64) g.fillRect(30, y, 4, 32);
  }, [1, 8]);
  const paving = canvas(64, 64, (g) => {
    g.fillStyle = '#9d978c';
    g.fillRect(0, 0, 64, 64);
    g.strokeStyle = '#77726a';
    g.lineWidth = 2;
    for (let i = 0; i <= 64; i += 16) {
      g.beginPath();
      g.moveTo(i, 0);
      g.lineTo(i, 64);
      g.moveTo(0, i);
      g.lineTo(64, i);
      g.stroke();
    }
  }, [2, 30]);
  const proxies: Object3D[] = [];
  const road = box([2 * STREET_HALF_WIDTH + 20, 0.5, 2 * STREET_HALF_LENGTH + 20], new MeshLambertMaterial({ map: asphalt }), [0, -0.25, 0], 'road');
  road.castShadow = false;
  const pavementWest = box([2, 0.15, 2 * STREET_HALF_LENGTH], new MeshLambertMaterial({ map: paving }), [-STREET_HALF_WIDTH + 1, 0.075, 0], 'pavement-west');
  const pavementEast = box([2, 0.15, 2 * STREET_HALF_LENGTH], new MeshLambertMaterial({ map: paving }), [STREET_HALF_WIDTH - 1, 0.075, 0], 'pavement-east');
  scene.add(road, pavementWest, pavementEast);
  proxies.push(road, pavementWest, pavementEast);

  // Buildings shoulder to shoulder along both sides, each its own colour and height.
  for (const side of [-1, 1]) {
    for (let z = -STREET_HALF_LENGTH; z < STREET_HALF_LENGTH; ) {
      const width = 5 + Math.floor(rng() * 5);
      const depth = 6 + rng() * 3;
      const floors = 2 + Math.floor(rng() * 4);
      const height = floors * 3.2;
      const color = FACADES[Math.floor(rng() * FACADES.length)]!;
      const front = new MeshLambertMaterial({ map: facade(color, floors, Math.round(width / 2), rng) });
      const plain = new MeshLambertMaterial({ color });
      const roof = new MeshLambertMaterial({ color: 0x3d3431 });
      // BoxGeometry faces: +x, −x, +y, −y, +z, −z; the facade faces the street.
      const faces = side < 0 ? [front, plain, roof, plain, plain, plain] : [plain, front, roof, plain, plain, plain];
      const building = box([depth, height, width - 0.1], faces, [side * (STREET_HALF_WIDTH + depth / 2), height / 2, z + width / 2], `building-${side < 0 ? 'w' : 'e'}${z + STREET_HALF_LENGTH}`);
      scene.add(building);
      proxies.push(building);
      z += width;
    }
  }

  // The south end is closed by a long wall with a gate; the north end opens onto a square.
  const wall = box([2 * STREET_HALF_WIDTH, 3, 0.6], new MeshLambertMaterial({ color: 0x6f5b4b }), [0, 1.5, STREET_HALF_LENGTH + 0.3], 'south-wall');
  const gate = box([3, 2.4, 0.2], new MeshLambertMaterial({ color: 0x2f4a3a }), [0, 1.2, STREET_HALF_LENGTH - 0.05], 'gate');
  scene.add(wall, gate);
  proxies.push(wall, gate);
  const square = new Group();
  square.name = 'fountain';
  const stone = new MeshLambertMaterial({ color: 0xc9c1ae });
  const basin = new Mesh(new CylinderGeometry(2.2, 2.4, 0.7, 32), stone);
  basin.position.y = 0.35;
  const water = new Mesh(new CylinderGeometry(2.0, 2.0, 0.1, 32), new MeshLambertMaterial({ color: 0x4f8fb0, emissive: 0x10283a }));
  water.position.y = 0.62;
  const column = new Mesh(new CylinderGeometry(0.25, 0.35, 2.6, 16), stone);
  column.position.y = 1.6;
  const bowl = new Mesh(new CylinderGeometry(0.8, 0.3, 0.35, 20), stone);
  bowl.position.y = 2.9;
  for (const m of [basin, water, column, bowl]) {
    m.castShadow = true;
    m.receiveShadow = true;
  }
  square.add(basin, water, column, bowl);
  square.position.set(0, 0, -STREET_HALF_LENGTH + 4);
  const backdrop = box([2 * STREET_HALF_WIDTH + 12, 14, 1], new MeshLambertMaterial({ map: facade(0x9a5b4f, 4, 10, rng) }), [0, 7, -STREET_HALF_LENGTH - 6], 'north-hall');
  scene.add(square, backdrop);
  proxies.push(square, backdrop);

  // Lamp posts from the GLB asset, alternating sides along the pavements.
  const gltf = await new GLTFLoader().loadAsync(new URL('./assets/street-lamp.glb', import.meta.url).href);
  const lamp = gltf.scene;
  lamp.traverse((o) => {
    o.castShadow = true;
  });
  for (let i = 0, z = -STREET_HALF_LENGTH + 8; z < STREET_HALF_LENGTH - 2; i++, z += 9) {
    const side = i % 2 === 0 ? -1 : 1;
    const post = lamp.clone();
    post.name = `lamp${i}`;
    post.position.set(side * (STREET_HALF_WIDTH - 0.6), 0.15, z);
    post.rotation.y = side < 0 ? 0 : Math.PI; // the lantern hangs over the road
    scene.add(post);
    proxies.push(post);
  }

  // Street furniture: benches, a kiosk, parked cars (boxes a player walks around).
  const bench = new MeshLambertMaterial({ color: 0x7a4b2a });
  const kiosk = new MeshLambertMaterial({ color: 0x2e6b4f });
  const cars = [0x9b2c2c, 0x2c4f9b, 0xd9d4c5, 0x2f2f2f];
  const furniture: Mesh[] = [
    box([0.6, 0.5, 2], bench, [-STREET_HALF_WIDTH + 0.9, 0.4, -12 + rng() * 4], 'bench0'),
    box([0.6, 0.5, 2], bench, [STREET_HALF_WIDTH - 0.9, 0.4, 10 + rng() * 4], 'bench1'),
    box([1.8, 2.6, 1.8], kiosk, [STREET_HALF_WIDTH - 1.2, 1.45, -2 + rng() * 3], 'kiosk'),
  ];
  for (let i = 0; i < 3; i++) {
    const z = -20 + i * 17 + rng() * 5;
    const side = i % 2 === 0 ? 1 : -1;
    furniture.push(box([1.8, 1.4, 4.2], new MeshLambertMaterial({ color: cars[(i + Math.floor(rng() * 4)) % cars.length]! }), [side * (STREET_HALF_WIDTH - 3.2), 0.7, z], `car${i}`));
  }
  scene.add(...furniture);
  proxies.push(...furniture);

  // Light: a low sun from the west (long shadows across the street), a violet sky fill.
  scene.add(new HemisphereLight(0xb3a0d8, 0x3a2c2a, 1.6));
  const sun = new DirectionalLight(0xffa866, 2.4);
  sun.position.set(-30, 14, 8);
  sun.castShadow = true;
  Object.assign(sun.shadow.camera, { left: -40, right: 40, top: 40, bottom: -40, near: 1, far: 90 });
  sun.shadow.mapSize.set(1024, 1024);
  sun.shadow.bias = -0.0005;
  scene.add(sun, sun.target);

  // Things to push, drawn over the painted street.
  const ball = new Mesh(new SphereGeometry(0.3, 20, 14), new MeshLambertMaterial({ color: 0x3fc1ff }));
  ball.position.set(1.5, 0.3, 4);
  ball.userData.mass = 2;
  const crate = new Mesh(new BoxGeometry(0.7, 0.7, 0.7), new MeshLambertMaterial({ color: 0xc08a4a }));
  crate.position.set(-2, 0.35, -8);
  crate.userData.mass = 12;
  scene.add(ball, crate);

  return {
    id: 'dusk-street',
    scene,
    proxies,
    overlays: [ball, crate],
    spawn: { min: [-4.5, -24], max: [4.5, 26] } as { min: [number, number]; max: [number, number] },
    beforeRender: (camera: Camera) => {
      sky.position.copy(camera.position);
      sky.updateMatrixWorld();
    },
  };
}
