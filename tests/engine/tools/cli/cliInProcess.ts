import { vi } from 'vitest';
import { buildProgram } from '../../../../engine/tools/cli/main.ts';

/** Run `nextframe …` in this process (no child start-up): what it printed on stdout and stderr. A refusal rejects with its error. */
export async function cliInProcess(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const printed = { stdout: '', stderr: '' };
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed[stream] += String(chunk);
      return true;
    }),
  );
  try {
    await buildProgram().parseAsync(['node', 'nextframe', ...args]);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return printed;
}
