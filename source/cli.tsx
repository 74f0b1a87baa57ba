#!/usr/bin/env node
import { fail } from './commands/fail.js';

/** A subcommand: its own flags, its own `--help`, and an exit code. */
interface Command {
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

// Each command loads only when named: a mistake, `--help` or `--version` answers at once.
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  'demo-server': () => import('./commands/demo-server.js'),
  compare: () => import('./commands/compare.js'),
  replay: () => import('./commands/replay.js'),
  merge: () => import('./commands/merge.js'),
  schema: () => import('./commands/schema.js'),
};

const [first = '', ...rest] = process.argv.slice(2);
const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;

if (load) {
  process.exitCode = await (await load()).run(rest);
} else if (first === 'help') {
  const [name = '', extra] = rest;
  const named = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (named && !extra) process.stdout.write((await named()).help);
  else if (!name) process.stdout.write((await import('./run/help.js')).mainHelp());
  else fail(`help: no command "${rest.join(' ')}"; commands: ${Object.keys(COMMANDS).join(', ')}`, 2);
} else {
  const { run } = await import('./commands/explore.js');
  process.exitCode = await run(process.argv.slice(2));
}
