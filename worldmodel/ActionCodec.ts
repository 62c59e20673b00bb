import { describeValue, NextframeError } from './errors.ts';
import type { ActionSlot } from './manifestSchema.ts';

/**
 * An action as callers give it: raw values in slot order (units from the manifest, e.g.
 * metres and radians per tick), or an object by slot name (missing slots are 0).
 */
export type ActionInput = ArrayLike<number> | Readonly<Partial<Record<string, number>>>;

/**
 * Encodes raw actions into what the model sees, through a quantised form.
 *
 * axis:   v = clamp(raw/scale, −1, 1); bin = floor((v+1)/2·(bins−1) + 0.5); value = bin/(bins−1)·2 − 1
 * button: bin = raw ≥ 0.5 ? 1 : 0; value = bin
 *
 * The model is fed the dequantised value, so two actions with the same bins produce the same
 * frame: that is what lets speculation treat "same action" as an exact test. Must match
 * `models/actions.py`.
 */
export class ActionCodec {
  readonly slots: readonly ActionSlot[];
  private readonly raw: Float64Array;

  constructor(slots: readonly ActionSlot[]) {
    if (slots.length === 0) throw new NextframeError('bad-actions', 'ActionCodec: expected at least one action slot, found none.');
    this.slots = slots;
    this.raw = new Float64Array(slots.length);
  }

  /** Number of slots, A. */
  get size(): number {
    return this.slots.length;
  }

  /** Slot names in order. */
  get names(): string[] {
    return this.slots.map((s) => s.name);
  }

  /** Quantise a raw action into bin indices. */
  quantise(action: ActionInput, out: Uint8Array = new Uint8Array(this.size)): Uint8Array {
    this.readRaw(action);
    for (let i = 0; i < this.size; i++) out[i] = binOf(this.slots[i]!, this.raw[i]!);
    return out;
  }

  /** Model-input values for bin indices. */
  dequantise(bins: ArrayLike<number>, out: Float32Array = new Float32Array(this.size)): Float32Array {
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i]!;
      const bin = bins[i]!;
      if (!Number.isInteger(bin) || bin < 0 || bin >= slot.bins) {
        throw new NextframeError('bad-action', `ActionCodec: bin for "${slot.name}" must be an integer in [0, ${slot.bins - 1}], found ${describeValue(bin)}.`);
      }
      out[i] = slot.kind === 'button' ? bin : (bin / (slot.bins - 1)) * 2 - 1;
    }
    return out;
  }

  /** Raw action → model-input values (quantised then dequantised). */
  encode(action: ActionInput, out: Float32Array = new Float32Array(this.size)): Float32Array {
    this.readRaw(action);
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i]!;
      const bin = binOf(slot, this.raw[i]!);
      out[i] = slot.kind === 'button' ? bin : (bin / (slot.bins - 1)) * 2 - 1;
    }
    return out;
  }

  /** A string naming the action's bins, equal for two actions exactly when their frames are. */
  key(action: ActionInput): string {
    return Array.from(this.quantise(action)).join('.');
  }

  /** Inverse of encoding for display and logs: the raw value at each bin's centre. */
  toRaw(values: ArrayLike<number>): Record<string, number> {
    const out: Record<string, number> = {};
    this.slots.forEach((slot, i) => {
      out[slot.name] = slot.kind === 'button' ? values[i]! : values[i]! * slot.scale;
    });
    return out;
  }

  private readRaw(action: ActionInput): void {
    const { slots, raw } = this;
    if (isArrayLike(action)) {
      if (action.length !== slots.length) {
        throw new NextframeError(
          'bad-action',
          `ActionCodec: expected ${slots.length} action values (${this.names.join(', ')}), found ${action.length}. ` +
            'Pass one value per slot in that order, or an object keyed by slot name.',
        );
      }
      for (let i = 0; i < slots.length; i++) raw[i] = action[i]!;
    } else {
      if (action === null || typeof action !== 'object') {
        throw new NextframeError('bad-action', `ActionCodec: expected an array of ${slots.length} numbers or an object keyed by slot name, found ${describeValue(action)}.`);
      }
      for (const name of Object.keys(action)) {
        if (!slots.some((s) => s.name === name)) {
          throw new NextframeError('bad-action', `ActionCodec: unknown action slot "${name}"; the model's slots are ${this.names.join(', ')}.`);
        }
      }
      for (let i = 0; i < slots.length; i++) raw[i] = action[slots[i]!.name] ?? 0;
    }
    for (let i = 0; i < slots.length; i++) {
      const value = raw[i]!;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new NextframeError('bad-action', `ActionCodec: action slot "${slots[i]!.name}" must be a finite number (${slots[i]!.unit}), found ${describeValue(value)}.`);
      }
    }
  }
}

function binOf(slot: ActionSlot, raw: number): number {
  if (slot.kind === 'button') return raw >= 0.5 ? 1 : 0;
  const v = Math.min(1, Math.max(-1, raw / slot.scale));
  return Math.floor(((v + 1) / 2) * (slot.bins - 1) + 0.5);
}

function isArrayLike(value: unknown): value is ArrayLike<number> {
  return Array.isArray(value) || ArrayBuffer.isView(value);
}
