import { BoxGeometry, Mesh, MeshBasicMaterial, Scene } from 'three';
import { describe, expect, it } from 'vitest';
import { checkSceneResult, sceneFactory } from '../../../../engine/runtime/scene/SceneModule.ts';

const floor = () => new Mesh(new BoxGeometry(4, 0.5, 4), new MeshBasicMaterial());

describe('SceneModule', () => {
  it('takes the default export and says what it found when there is none', () => {
    const create = () => ({ scene: new Scene(), proxies: [floor()], spawn: { min: [0, 0], max: [1, 1] } });
    expect(sceneFactory({ default: create }, 'ok.ts')).toBe(create);
    expect(() => sceneFactory({ createScene: create }, 'named.ts')).toThrow(/named\.ts has no default export function; found exports createScene\. Expected `export default async function createScene/);
    expect(() => sceneFactory({}, 'empty.ts')).toThrow(/found no exports/);
    expect(() => sceneFactory({}, 'empty.ts')).toThrow(expect.objectContaining({ code: 'bad-scene' }));
  });

  it('lists every way a result breaks the contract in one error', () => {
    expect(() => checkSceneResult({ scene: {}, proxies: [], spawn: { min: [2, 0], max: [1, 'a'] } }, 'bad.ts')).toThrow(
      /bad\.ts returned a scene that does not follow the contract: `scene` must be a THREE\.Scene; `proxies` is empty: .*; `spawn` must be \{ min: \[x, z\], max: \[x, z\] \}/,
    );
    expect(() => checkSceneResult({ scene: new Scene(), proxies: [floor()], spawn: { min: [2, 0], max: [1, 1] } }, 'flip.ts')).toThrow(/`spawn\.min` \(2, 0\) must not exceed `spawn\.max` \(1, 1\)/);
    expect(() => checkSceneResult(undefined, 'none.ts')).toThrow(/returned undefined; expected an object \{ scene, proxies, spawn \}/);
    expect(() => checkSceneResult(undefined, 'none.ts')).toThrow(expect.objectContaining({ code: 'bad-scene' }));
    const good = { scene: new Scene(), proxies: [floor()], spawn: { min: [0, 0], max: [1, 1] } };
    expect(checkSceneResult(good, 'good.ts')).toBe(good);
  });
});
