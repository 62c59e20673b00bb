import { existsSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { Observation, Policy, PolicyAction } from '../types.ts';
import { actionFromJson, describe } from './policyWire.ts';

/** The exports `loadPolicyModule` looks for, in order. */
const EXPORT_NAMES = ['default', 'createPolicy', 'policy'] as const;

/**
 * Load a user's policy from an ES module (.mjs/.js, or .ts when run through the CLI, which
 * registers a TypeScript loader). The module exports, as `default`, `createPolicy` or `policy`,
 * either a policy object (`{ name?, reset?, act }`) or a factory (function or class) that makes
 * one, possibly async. Every action it returns is checked as an HTTP reply would be, so a bad
 * return value fails with the field's name instead of corrupting the episode.
 */
export async function loadPolicyModule(file: string): Promise<Policy> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new NextframeError('bad-policy', `loadPolicyModule: no file at ${path}. Pass the path of an ES module that exports a policy.`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new NextframeError('bad-policy', `loadPolicyModule: could not import ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const found = EXPORT_NAMES.find((name) => module[name] !== undefined);
  if (!found) {
    throw new NextframeError(
      'bad-policy',
      `loadPolicyModule: ${path} exports ${Object.keys(module).join(', ') || 'nothing'}; expected a policy or a factory as one of ${EXPORT_NAMES.join(', ')}, e.g. \`export default { act: (obs) => ({ forward: 1 }) }\`.`,
    );
  }
  const where = `loadPolicyModule: ${basename(path)} export "${found}"`;
  let candidate = module[found];
  if (typeof candidate === 'function') {
    try {
      candidate = isClass(candidate) ? new (candidate as new () => unknown)() : await (candidate as () => unknown)();
    } catch (error) {
      throw new NextframeError('bad-policy', `${where}: the factory threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  if (typeof candidate !== 'object' || candidate === null || typeof (candidate as { act?: unknown }).act !== 'function') {
    throw new NextframeError('bad-policy', `${where}: expected an object with an act(observation) method, found ${describe(candidate)}.`);
  }
  const user = candidate as Partial<Policy> & { act: Policy['act'] };
  const name = typeof user.name === 'string' && user.name.length > 0 ? user.name : basename(path, extname(path));
  return {
    name,
    async reset(seed: number): Promise<void> {
      await user.reset?.(seed);
    },
    async act(observation: Observation): Promise<PolicyAction> {
      return actionFromJson(await user.act(observation), `policy "${name}" (${basename(path)}) act()`);
    },
    async dispose(): Promise<void> {
      await user.dispose?.();
    },
  };
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}
