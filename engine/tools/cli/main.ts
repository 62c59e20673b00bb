import { Command } from 'commander';
import { registerBenchMemory } from './commands/benchMemory.ts';
import { registerBenchPolicyEnv } from './commands/benchPolicyEnv.ts';
import { registerBenchSpeculation } from './commands/benchSpeculation.ts';
import { registerBenchSpeed } from './commands/benchSpeed.ts';
import { registerCheckData } from './commands/checkData.ts';
import { registerEvalFidelity } from './commands/evalFidelity.ts';
import { registerEvalPolicies } from './commands/evalPolicies.ts';
import { registerExport } from './commands/exportModel.ts';
import { registerInfo } from './commands/info.ts';
import { registerLearningCurve } from './commands/learningCurve.ts';
import { registerPlanned } from './commands/planned.ts';
import { registerRecord } from './commands/record.ts';
import { registerRecordDemos } from './commands/recordDemos.ts';
import { registerSample } from './commands/sample.ts';
import { registerSoak } from './commands/soak.ts';
import { registerEvaluate, registerTrain } from './commands/train.ts';
import { registerUpsamplerData } from './commands/upsamplerData.ts';
import { registerWorlds } from './commands/worlds.ts';
import { fail } from './output.ts';
import { packageVersion } from './setup.mjs';

/** Build the `nextframe` command line. Exported for tests. */
export function buildProgram(): Command {
  const program = new Command('nextframe')
    .description('nextframe: record a Three.js scene, train a world model of it, play and evaluate it')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  registerInfo(program);
  registerSample(program);
  registerExport(program);
  registerRecord(program);
  registerRecordDemos(program);
  registerCheckData(program);
  registerBenchSpeed(program);
  registerBenchMemory(program);
  registerBenchSpeculation(program);
  registerTrain(program);
  registerEvalFidelity(program);
  registerEvaluate(program);
  registerUpsamplerData(program);
  registerLearningCurve(program);
  registerEvalPolicies(program);
  registerBenchPolicyEnv(program);
  registerWorlds(program);
  registerSoak(program);
  registerPlanned(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    fail(error);
  }
}
