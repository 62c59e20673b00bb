import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyModule } from '../../../../engine/sandbox/policies/loadPolicyModule.ts';
import { tinyObservation } from './tinyObservation.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-policy-module-'));
function moduleFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

describe('loadPolicyModule', () => {
  it('loads a default-exported policy object, fills idle fields and passes the observation', async () => {
    const file = moduleFile(
      'object.mjs',
      `let seen = null;
       export default {
         name: 'mine',
         reset(seed) { seen = seed; },
         act(obs) { return { forward: obs.width / 4, yawRate: seen + obs.proprio.tick }; },
       };`,
    );
    const policy = await loadPolicyModule(file);
    expect(policy.name).toBe('mine');
    await policy.reset?.(7);
    expect(await policy.act(tinyObservation())).toEqual({ forward: 1, strafe: 0, yawRate: 10, pitchRate: 0, jump: false, interact: false });
  });

  it('calls an async factory export and a class export, naming them after the file', async () => {
    const factory = await loadPolicyModule(moduleFile('factory-policy.mjs', `export async function createPolicy() { return { act: () => ({ strafe: -1 }) }; }`));
    expect(factory.name).toBe('factory-policy');
    expect((await factory.act(tinyObservation())).strafe).toBe(-1);
    const fromClass = await loadPolicyModule(moduleFile('klass.mjs', `export default class { constructor() { this.k = 2; } act() { return { yawRate: this.k }; } }`));
    expect((await fromClass.act(tinyObservation())).yawRate).toBe(2);
  });

  it('says what is wrong with a missing file, a module without a policy, a broken module and a bad action', async () => {
    await expect(loadPolicyModule(join(dir, 'nope.mjs'))).rejects.toThrow(/no file at .*nope\.mjs/);
    await expect(loadPolicyModule(join(dir, 'nope.mjs'))).rejects.toThrow(expect.objectContaining({ code: 'bad-policy' }));
    await expect(loadPolicyModule(moduleFile('none.mjs', 'export const helper = 1;'))).rejects.toThrow(/exports helper; expected a policy or a factory as one of default, createPolicy, policy/);
    await expect(loadPolicyModule(moduleFile('noact.mjs', 'export default { name: "x" };'))).rejects.toThrow(/expected an object with an act\(observation\) method, found an object with keys name/);
    await expect(loadPolicyModule(moduleFile('broken.mjs', 'export default {'))).rejects.toThrow(/could not import .*broken\.mjs/);
    await expect(loadPolicyModule(moduleFile('throws.mjs', 'export default () => { throw new Error("no weights"); }'))).rejects.toThrow(/the factory threw: no weights/);
    const bad = await loadPolicyModule(moduleFile('bad.mjs', 'export default { act: () => ({ forward: "fast", jump: 1, fly: true }) };'));
    await expect(bad.act(tinyObservation())).rejects.toThrow(/"forward" must be a finite number, found the string "fast"[\s\S]*"jump" must be true or false[\s\S]*unknown key "fly"/);
  });
});
