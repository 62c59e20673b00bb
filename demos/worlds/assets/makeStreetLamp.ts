// Makes street-lamp.glb, the dusk street's lamp post, with three's GLTFExporter: the asset a
// user would make in a modelling tool, made here by code so the repository builds it itself.
//
//   npx tsx demos/worlds/assets/makeStreetLamp.ts      # writes demos/worlds/assets/street-lamp.glb
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoxGeometry, CylinderGeometry, Group, Mesh, MeshStandardMaterial, SphereGeometry } from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';

/** A cast-iron lamp post, 4.6 m tall, with a glowing lantern on an arm reaching +x. Origin at its foot. */
export function streetLamp(): Group {
  const iron = new MeshStandardMaterial({ color: 0x1d2226, roughness: 0.6, metalness: 0.5 });
  const glow = new MeshStandardMaterial({ color: 0xffe2a0, emissive: 0xffc25a, emissiveIntensity: 1.4, roughness: 0.4 });
  const lamp = new Group();
  lamp.name = 'street-lamp';
  const base = new Mesh(new CylinderGeometry(0.22, 0.28, 0.5, 12), iron);
  base.name = 'base';
  base.position.y = 0.25;
  const pole = new Mesh(new CylinderGeometry(0.08, 0.11, 4.2, 10), iron);
  pole.name = 'pole';
  pole.position.y = 2.6;
  const arm = new Mesh(new BoxGeometry(0.9, 0.08, 0.08), iron);
  arm.name = 'arm';
  arm.position.set(0.45, 4.5, 0);
  const lantern = new Mesh(new BoxGeometry(0.34, 0.42, 0.34), glow);
  lantern.name = 'lantern';
  lantern.position.set(0.85, 4.22, 0);
  const cap = new Mesh(new SphereGeometry(0.22, 12, 6, 0, Math.PI * 2, 0, Math.PI / 2), iron);
  cap.name = 'cap';
  cap.position.set(0.85, 4.43, 0);
  lamp.add(base, pole, arm, lantern, cap);
  return lamp;
}

// GLTFExporter writes binary glTF through the browser's FileReader; Node has Blob but no
// FileReader, so the one method it uses is given here.
class BlobReader {
  result: ArrayBuffer | string | null = null;
  onloadend: (() => void) | null = null;
  readAsArrayBuffer(blob: Blob): void {
    void blob.arrayBuffer().then((buffer) => {
      this.result = buffer;
      this.onloadend?.();
    });
  }
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then((buffer) => {
      this.result = `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buffer).toString('base64')}`;
      this.onloadend?.();
    });
  }
}

export async function exportGlb(object: Group): Promise<ArrayBuffer> {
  (globalThis as { FileReader?: unknown }).FileReader ??= BlobReader;
  return (await new GLTFExporter().parseAsync(object, { binary: true })) as ArrayBuffer;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'street-lamp.glb');
  const bytes = await exportGlb(streetLamp());
  writeFileSync(out, Buffer.from(bytes));
  console.log(`wrote ${out} (${bytes.byteLength} bytes)`);
}
