import { describe, expect, it } from 'vitest';
import type { InputAction } from '../../../../engine/runtime/input/Bindings.ts';
import { GamepadInput, type GamepadLike } from '../../../../engine/runtime/input/GamepadInput.ts';

function pad(axes: number[], pressed: number[] = [], mapping = 'standard'): GamepadLike {
  return { connected: true, mapping, axes, buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: pressed.includes(i), value: pressed.includes(i) ? 1 : 0 })) };
}

function poll(input: GamepadInput) {
  const held = new Set<InputAction>();
  const move = { x: 0, y: 0 };
  const look = { x: 0, y: 0 };
  input.poll(held, move, look);
  return { held: [...held].sort(), move, look };
}

describe('GamepadInput (standard mapping)', () => {
  it('walks with the left stick, looks with the right, stick-up is forward', () => {
    let pads: (GamepadLike | null)[] = [null, pad([0.5, -1, 1, 0.25])];
    const input = new GamepadInput({ getGamepads: () => pads });
    const r = poll(input);
    expect(r.move).toEqual({ x: 0.5, y: 1 });
    expect(r.look).toEqual({ x: 1, y: -0.25 });
    pads = [];
    expect(poll(input).move).toEqual({ x: 0, y: 0 });
    input.dispose();
  });

  it('maps A to jump, X to interact, RT to throw (counted once per press)', () => {
    let pressed = [0, 2, 7];
    const input = new GamepadInput({ getGamepads: () => [pad([0, 0, 0, 0], pressed)] });
    expect(poll(input).held).toEqual(['interact', 'jump', 'throw']);
    poll(input); // still held: no new press
    pressed = [];
    poll(input);
    pressed = [7];
    poll(input);
    expect(input.consumePresses('throw')).toBe(2);
    expect(input.consumePresses('throw')).toBe(0);
    input.dispose();
  });

  it('ignores pads without the standard mapping and survives a Gamepad API that throws', () => {
    expect(poll(new GamepadInput({ getGamepads: () => [pad([1, 1, 1, 1], [0], '')] }))).toEqual({ held: [], move: { x: 0, y: 0 }, look: { x: 0, y: 0 } });
    const failing = new GamepadInput({
      getGamepads: () => {
        throw new Error('blocked by permissions policy');
      },
    });
    expect(poll(failing).held).toEqual([]);
  });
});
