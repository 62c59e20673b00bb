import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import rules of eslint.config.js, on code that breaks them and code that keeps them. The
// file paths are where the snippet would live; nothing is written.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('eslint.config.js: areas of engine/ import each other through their entries', () => {
  it.each([
    ['engine/capture/players/x.ts', "import { ProxyDepth } from '../../runtime/physics/ProxyDepth.ts';\nexport const a = ProxyDepth;\n"],
    ['engine/sandbox/x.ts', "import { recordDataset } from '../capture/recorder/recordDataset.ts';\nexport const a = recordDataset;\n"],
    ['engine/tools/cli/x.ts', "import { createTask } from '../../sandbox/tasks/createTask.ts';\nexport const a = createTask;\n"],
    ['engine/capture/x.ts', "import { main } from '../tools/cli/main.ts';\nexport const a = main;\n"],
  ])('refuses a deep import from %s', async (file, code) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('only through its entry');
  });

  it('keeps the runtime free of the other areas, entries included', async () => {
    const messages = await restricted('engine/runtime/plugin/x.ts', "import type { Episode } from '../../capture/index.ts';\nexport type A = Episode;\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('imports no other area');
  });

  it.each([
    ['engine/capture/players/x.ts', "import { ProxyDepth } from '../../runtime/index.ts';\nexport const a = ProxyDepth;\n"],
    ['engine/tools/cli/x.ts', "import { createTask } from '../../sandbox/index.ts';\nexport const a = createTask;\n"],
    ['engine/runtime/plugin/x.ts', "import { OverlaySet } from './OverlaySet.ts';\nexport const a = OverlaySet;\n"],
  ])('lets %s import an entry or its own area', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });

  it('keeps demos on the public entry points', async () => {
    expect(await restricted('demos/x/main.ts', "import { ProxyDepth } from '../../engine/runtime/physics/ProxyDepth.ts';\nexport const a = ProxyDepth;\n")).toHaveLength(1);
    expect(await restricted('demos/x/main.ts', "import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';\nexport const a = SpatialMemory;\n")).toHaveLength(1);
    expect(await restricted('demos/x/main.ts', "import { WorldModelPlugin } from '../../engine/runtime/index.ts';\nexport const a = WorldModelPlugin;\n")).toEqual([]);
  });

  it('keeps worldmodel/ free of three and the engine', async () => {
    expect(await restricted('worldmodel/x.ts', "import { Vector3 } from 'three';\nexport const a = Vector3;\n")).toHaveLength(1);
    expect(await restricted('worldmodel/x.ts', "import { PhysicsWorld } from '../engine/runtime/index.ts';\nexport const a = PhysicsWorld;\n")).toHaveLength(1);
  });
});
