import type { Command } from 'commander';
import { NextframeError } from '../../../../worldmodel/index.ts';

/**
 * Commands of the record → train → play → evaluate loop that are not built yet. Each is
 * listed with its options so `--help` shows the whole tool; running one says plainly that it
 * is not available and exits non-zero, rather than pretending.
 */
const planned: { name: string; description: string; options: [string, string][] }[] = [];

export function registerPlanned(program: Command): void {
  for (const spec of planned) {
    const command = program.command(spec.name).description(`${spec.description} (not available yet)`);
    for (const [flags, description] of spec.options) command.option(flags, description);
    command.option('--json', 'print JSON instead of text').action(() => {
      throw new NextframeError('not-available', `"${spec.name}" is not available in this version of nextframe yet. See README.md for what works today.`);
    });
  }
}
