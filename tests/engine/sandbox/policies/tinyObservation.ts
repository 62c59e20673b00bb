import type { Observation } from '../../../../engine/sandbox/types.ts';

/** A small observation for the plug-in tests: 4×2 pixels with known bytes. */
export function tinyObservation(): Observation {
  const image = new Uint8Array(4 * 2 * 3);
  for (let i = 0; i < image.length; i++) image[i] = (i * 37) % 256;
  return {
    image,
    width: 4,
    height: 2,
    proprio: { pose: { x: 1, y: 1.6, z: -2, yaw: 0.5, pitch: 0 }, velocity: [0.25, -0.5], tick: 3 },
    instruction: 'walk to the blue pillar',
    target: { id: 'pillar-blue', color: 0x2455e0 },
    goal: { id: 'pillar-red', color: 0xe0262b },
  };
}
