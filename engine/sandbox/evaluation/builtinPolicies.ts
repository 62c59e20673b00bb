import { NextframeError } from '../../../worldmodel/index.ts';
import { BcCnnPolicy } from '../policies/BcCnnPolicy.ts';
import { ColourServoPolicy } from '../policies/ColourServoPolicy.ts';
import type { Palette } from '../policies/goalColour.ts';
import { httpPolicy } from '../policies/httpPolicy.ts';
import { loadPolicyModule } from '../policies/loadPolicyModule.ts';
import { RandomPolicy } from '../policies/RandomPolicy.ts';
import { VisualNavigatorPolicy } from '../policies/VisualNavigatorPolicy.ts';
import type { PolicyEntry } from './evaluatePolicies.ts';

/** The policies shipped with nextframe, weakest first. */
export const BUILTIN_POLICIES = ['random', 'colour-servo', 'visual-nav', 'bc-cnn'] as const;
export type BuiltinPolicy = (typeof BUILTIN_POLICIES)[number];

export interface BuiltinPolicyOptions {
  /** Folder with the behaviour-cloned policy's `policy.json` and ONNX file. */
  bcFolder: string;
  /** Landmark words → colours, for policies that read a push goal from the instruction. */
  palette?: Palette;
}

/** Entries for `evaluatePolicies`: one fresh instance per parallel environment. */
export function builtinPolicy(name: string, options: BuiltinPolicyOptions): PolicyEntry {
  const palette = options.palette ? { palette: options.palette } : {};
  switch (name as BuiltinPolicy) {
    case 'random':
      return { name, create: () => new RandomPolicy() };
    case 'colour-servo':
      return { name, create: () => new ColourServoPolicy() };
    case 'visual-nav':
      return { name, create: () => new VisualNavigatorPolicy(palette) };
    case 'bc-cnn':
      return { name, create: () => BcCnnPolicy.load(options.bcFolder, palette) };
    default:
      throw new NextframeError('bad-policy', `builtinPolicy: unknown policy "${name}"; built in: ${BUILTIN_POLICIES.join(', ')}. Pass your own with --policy FILE.mjs or --policy http://HOST/PATH.`);
  }
}

/**
 * A user's policy: an http(s) URL becomes `httpPolicy`, anything else a module file for
 * `loadPolicyModule`. The module is loaded once up front so a bad file fails before any episode runs.
 */
export async function userPolicy(spec: string): Promise<PolicyEntry> {
  if (/^https?:\/\//i.test(spec)) {
    const probe = httpPolicy(spec);
    return { name: probe.name, create: () => httpPolicy(spec) };
  }
  const first = await loadPolicyModule(spec);
  return { name: first.name, create: () => loadPolicyModule(spec) };
}
