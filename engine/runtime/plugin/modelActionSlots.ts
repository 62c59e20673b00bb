import { ACTION } from '../../../worldmodel/dataset/actionLayout.ts';
import { NextframeError, type ModelManifest } from '../../../worldmodel/index.ts';

/**
 * Where each of the model's action slots comes from among the host's 7 (`ACTION`: forward,
 * strafe, up, yaw, pitch, jump, interact), by name: a model may use fewer, in another order.
 * Throws `unknown-action-slot` for a slot the host cannot produce.
 */
export function modelActionSlots(manifest: Readonly<ModelManifest>): Int32Array {
  return Int32Array.from(manifest.actions, (slot) => {
    const index = (ACTION as Record<string, number>)[slot.name];
    if (index === undefined) {
      throw new NextframeError(
        'unknown-action-slot',
        `WorldModelPlugin: model "${manifest.id}" has an action slot "${slot.name}" the host cannot produce; it produces ${Object.keys(ACTION).join(', ')}. Retrain or re-export the model with those slot names.`,
      );
    }
    return index;
  });
}

/** The host's 7-slot action in the model's slot order (`out[i] = action7[slots[i]]`). */
export function toModelAction(action7: Float32Array, slots: Int32Array, out: Float32Array): Float32Array {
  for (let i = 0; i < slots.length; i++) out[i] = action7[slots[i]!]!;
  return out;
}
