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

describe('eslint.config.js: React only in the r3f binding', () => {
  const react = "import { useState } from 'react';\nexport const a = useState;\n";
  const fiber = "import { useFrame } from '@react-three/fiber';\nexport const a = useFrame;\n";
  const dom = "import { createRoot } from 'react-dom/client';\nexport const a = createRoot;\n";

  it.each([
    ['engine/runtime/plugin/x.ts', react],
    ['engine/runtime/x.tsx', fiber],
    ['engine/capture/x.ts', dom],
    ['engine/sandbox/x.ts', fiber],
    ['engine/tools/cli/x.ts', react],
    ['worldmodel/x.ts', react],
    ['worldmodel/OrtSession.ts', fiber],
    ['demos/arena/main.ts', dom],
    ['demos/x/main.tsx', react],
    ['vite.config.ts', react],
    ['engine/tools/cli/x.mjs', fiber],
  ])('refuses React in %s', async (file, code) => {
    const messages = await restricted(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('optional peers');
  });

  it.each([
    ['engine/runtime/r3f/NextframeWorld.tsx', fiber],
    ['engine/runtime/r3f/x.ts', react],
    ['demos/r3f/main.tsx', dom],
    ['tests/engine/runtime/r3f/x.test.ts', fiber],
    ['tests/e2e/r3f.spec.ts', react],
  ])('lets %s import React', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });

  it('keeps every area rule where React is refused too', async () => {
    const both = (path: string): string => `import { useState } from 'react';\nimport { x } from '${path}';\nexport const a = [useState, x];\n`;
    const runtime = await restricted('engine/runtime/plugin/x.ts', both('../../capture/index.ts'));
    expect(runtime).toHaveLength(2);
    expect(runtime.join('\n')).toContain('imports no other area');
    expect(await restricted('engine/capture/x.ts', both('../runtime/physics/ProxyDepth.ts'))).toHaveLength(2);
    expect(await restricted('worldmodel/x.ts', both('three'))).toHaveLength(2);
    expect(await restricted('worldmodel/x.ts', both('onnxruntime-web'))).toHaveLength(2);
    expect(await restricted('demos/x/main.ts', both('../../engine/runtime/physics/ProxyDepth.ts'))).toHaveLength(2);
    expect(await restricted('vite.config.ts', both('onnxruntime-web'))).toHaveLength(2);
  });

  it('keeps the binding and its demo inside their own rules', async () => {
    // The binding is runtime code: no other area. Its demo: public entry points only.
    expect(await restricted('engine/runtime/r3f/x.tsx', "import type { Episode } from '../../capture/index.ts';\nexport type A = Episode;\n")).toHaveLength(1);
    expect(await restricted('demos/r3f/main.tsx', "import { ProxyDepth } from '../../engine/runtime/physics/ProxyDepth.ts';\nexport const a = ProxyDepth;\n")).toHaveLength(1);
    expect(await restricted('demos/r3f/main.tsx', "import { NextframeWorld } from '../../engine/runtime/r3f/index.ts';\nexport const a = NextframeWorld;\n")).toEqual([]);
  });
});
