import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_BINDINGS, INPUT_ACTIONS, keyLookup, mergeKeyBindings } from '../../../../engine/runtime/input/Bindings.ts';

describe('key bindings', () => {
  it('bind WASD and arrows to walking, Space to jump, E and F to interact', () => {
    const lookup = keyLookup(DEFAULT_KEY_BINDINGS);
    expect(lookup.get('KeyW')).toEqual(['forward']);
    expect(lookup.get('ArrowUp')).toEqual(['forward']);
    expect(lookup.get('KeyS')).toEqual(['back']);
    expect(lookup.get('KeyA')).toEqual(['left']);
    expect(lookup.get('KeyD')).toEqual(['right']);
    expect(lookup.get('ArrowLeft')).toEqual(['turnLeft']);
    expect(lookup.get('ArrowRight')).toEqual(['turnRight']);
    expect(lookup.get('Space')).toEqual(['jump']);
    expect(lookup.get('KeyE')).toEqual(['interact']);
    expect(lookup.get('KeyF')).toEqual(['interact']);
    for (const action of INPUT_ACTIONS) expect(DEFAULT_KEY_BINDINGS[action]).toBeDefined();
  });

  it('rebind an action without touching the others, and let one key serve two actions', () => {
    const bindings = mergeKeyBindings({ jump: ['KeyJ'], interact: ['KeyJ', 'KeyE'] });
    const lookup = keyLookup(bindings);
    expect(lookup.get('Space')).toBeUndefined();
    expect(lookup.get('KeyJ')).toEqual(['jump', 'interact']);
    expect(lookup.get('KeyW')).toEqual(['forward']);
  });

  it('refuse an unknown action by name', () => {
    expect(() => mergeKeyBindings({ fly: ['KeyZ'] } as never)).toThrow(/unknown action "fly"/);
  });
});
