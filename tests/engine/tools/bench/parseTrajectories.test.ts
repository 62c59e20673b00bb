import { describe, expect, it } from 'vitest';
import { parseTrajectories } from '../../../../engine/tools/bench/parseTrajectories.ts';

const intent = { forward: 0.5, strafe: 0, yawRate: 1, pitchRate: 0, jump: false, interact: false };

describe('parseTrajectories', () => {
  it('reads a trajectories file, filling the optional fields', () => {
    const [t] = parseTrajectories([{ name: 'a', start: { x: 1, z: -2, yaw: 0.5 }, intents: [intent, { yawRate: -1 }], phases: ['look', 'return'] }]);
    expect(t).toEqual({
      name: 'a',
      start: { x: 1, y: 1.6, z: -2, yaw: 0.5, pitch: 0 },
      intents: [intent, { forward: 0, strafe: 0, yawRate: -1, pitchRate: 0, jump: false, interact: false }],
      phases: ['look', 'return'],
    });
    expect(parseTrajectories([{ name: 'b', start: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0.2 }, intents: [intent] }])[0]!.phases).toBeUndefined();
  });

  it('says what field is wrong, what it expected and what it found', () => {
    const bad = (raw: unknown) => () => parseTrajectories(raw, 'mine.json');
    expect(bad({ name: 'a' })).toThrow(/mine\.json: expected a JSON list of trajectories .*found an object/);
    expect(bad([])).toThrow(/the list is empty/);
    expect(bad([])).toThrow(expect.objectContaining({ code: 'bad-trajectories' }));
    expect(bad([{ name: 'a', start: { x: 30, z: 0, yaw: 0 }, intents: [intent] }])).toThrow(/trajectory 0 \("a"\)\.start\.x: expected a number of metres in \[−12, 12\] \(the scene's walkable bounds\), found 30/);
    // Another scene's bounds: a street 50 m long takes z = 20.
    expect(parseTrajectories([{ name: 'a', start: { x: 1, z: 20, yaw: 0 }, intents: [intent] }], 'street.json', { halfX: 6, halfZ: 27.5 })[0]!.start.z).toBe(20);
    expect(bad([{ name: 'a', start: { x: 0, z: 0 }, intents: [intent] }])).toThrow(/start\.yaw: expected a finite number of radians, found nothing/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0, pitch: 2 }, intents: [intent] }])).toThrow(/start\.pitch: expected a number of radians in \[−1\.45, 1\.45\], found 2/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [] }])).toThrow(/\.intents: expected a list of 1 to 20000 per-tick intents, found a list of 0/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [intent, { forward: 'fast' }] }])).toThrow(/intents\[1\]\.forward: expected a number in \[−1, 1\] \(fraction of walking speed\), found "fast"/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [{ jump: 1 }] }])).toThrow(/intents\[0\]\.jump: expected true or false, found 1/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [{ turn: 1 }] }])).toThrow(/intents\[0\]: expected only forward, strafe, yawRate, pitchRate, jump, interact, found a field "turn"/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [intent, intent], phases: ['look'] }])).toThrow(/\.phases: expected a list of 2 phases, one per intent, found a list of 1/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [intent, intent], phases: ['look', 'back'] }])).toThrow(/\.phases\[1\]: expected "look", "away" or "return", found "back"/);
    expect(bad([{ name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [intent], phases: ['look'] }])).toThrow(/\.phases: expected at least one "return" tick, found none/);
    const twice = { name: 'a', start: { x: 0, z: 0, yaw: 0 }, intents: [intent] };
    expect(bad([twice, twice])).toThrow(/trajectory 1\.name: expected a name no other trajectory has, found "a"/);
    // Every problem at once (up to ten), not just the first.
    expect(bad([{ name: '', start: { x: 0, z: 'north', yaw: 0 }, intents: [intent] }])).toThrow(/name: expected a non-empty string, found ""\n.*start\.z: expected a number of metres/);
  });
});
