import type { Color, Light, Mesh, Object3D, Scene, Texture } from 'three';
import type { SceneLayout } from './SceneDescription.ts';

/**
 * A content hash of a scene, the same on every machine: its colliders (the layout) and what it
 * looks like as data — each drawn mesh's place, vertex count and material colours, each light,
 * the fog and background — never pixels (GPUs differ). A model's manifest keeps the hash of the
 * scene it learned, so using it elsewhere can say so. 16 hex digits.
 */
export function sceneFingerprint(scene: Scene, layout: SceneLayout): string {
  const parts: string[] = [JSON.stringify(layout)];
  scene.updateMatrixWorld(true);
  scene.traverseVisible((object) => {
    const mesh = object as Mesh;
    const light = object as Light;
    if (mesh.isMesh) {
      const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
      parts.push(`m ${matrix(object)} ${mesh.geometry.getAttribute('position')?.count ?? 0} ${materials.map(materialKey).join('|')}`);
    } else if (light.isLight) {
      parts.push(`l ${light.type} ${colour(light.color)} ${light.intensity.toFixed(3)} ${matrix(object)}`);
    }
  });
  const fog = scene.fog as { color?: Color; near?: number; far?: number; density?: number } | null;
  if (fog) parts.push(`f ${fog.color ? colour(fog.color) : ''} ${fog.near ?? ''} ${fog.far ?? ''} ${fog.density ?? ''}`);
  const background = scene.background as Color | Texture | null;
  if (background) parts.push(`b ${(background as Color).isColor ? colour(background as Color) : textureKey(background as Texture)}`);
  return fnv1a64(parts.join('\n'));
}

function materialKey(material: unknown): string {
  const m = material as { type?: string; color?: Color; emissive?: Color; map?: Texture | null; opacity?: number };
  return `${m.type ?? '?'}:${m.color ? colour(m.color) : '-'}:${m.emissive ? colour(m.emissive) : '-'}:${m.map ? textureKey(m.map) : '-'}:${m.opacity ?? 1}`;
}

function textureKey(texture: Texture): string {
  const image = texture.image as { width?: number; height?: number } | undefined;
  return `${texture.name}:${image?.width ?? 0}x${image?.height ?? 0}:${texture.repeat.x.toFixed(3)},${texture.repeat.y.toFixed(3)}`;
}

function colour(c: Color): string {
  return c.getHexString();
}

function matrix(object: Object3D): string {
  return object.matrixWorld.elements.map((e) => e.toFixed(3)).join(',');
}

/** Two 32-bit FNV-1a hashes (different offsets) over the UTF-16 code units, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
