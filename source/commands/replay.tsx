import meow from 'meow';
import { readRecording, type Recording } from '../replay/read-recording.js';
import { replayText } from '../replay/replay-text.js';
import { fail, flagError } from './fail.js';

export const help = `Usage: mcp-load-explorer replay FILE [options]

Plays a --record recording back: the live screen on a terminal (space pauses, arrows step), otherwise its
status lines and summary.

Options
  --speed X    recorded seconds per second (1)
  --paused     start paused
  --headless   print the status lines and summary instead of the live screen
  -h, --help   show this help
`;

const USAGE = 'replay FILE [--speed X] [--paused] [--headless]';

/** Plays a `--record` recording back; returns the exit code. */
export async function run(args: readonly string[]): Promise<number> {
  let cli;
  try {
    cli = meow(help, {
      importMeta: import.meta,
      argv: [...args],
      allowUnknownFlags: true,
      autoHelp: false,
      autoVersion: false,
      flags: {
        speed: { type: 'number', default: 1 },
        paused: { type: 'boolean' },
        headless: { type: 'boolean' },
        help: { type: 'boolean', shortFlag: 'h' },
      },
    });
  } catch (error) {
    return fail(`replay: ${flagError(error)}`, 2);
  }
  if (cli.flags.help) {
    process.stdout.write(help);
    return 0;
  }
  const unknown = Object.keys(cli.unnormalizedFlags).find(
    (name) => !['speed', 'paused', 'headless', 'help', 'h'].includes(name),
  );
  if (unknown) return fail(`replay: unknown flag --${unknown}; usage: ${USAGE}`, 2);
  const [file, extra] = cli.input;
  if (!file || extra) return fail(`replay: give one recording file: ${USAGE}`, 2);
  if (!(cli.flags.speed > 0 && cli.flags.speed <= 1000))
    return fail('replay --speed: a positive number of recorded seconds per second, e.g. 4', 2);
  let recording: Recording;
  try {
    recording = await readRecording(file);
  } catch (error) {
    return fail((error as Error).message, 2, error);
  }
  if (recording.truncated)
    process.stderr.write('mcp-load-explorer: the last line of the recording was cut short and is left out\n');
  if (cli.flags.headless || !process.stdout.isTTY || !process.stdin.isTTY) {
    process.stdout.write(`${replayText(recording)}\n`);
    return 0;
  }
  const [{ render }, { ReplayApp }, { ColorContext }, { ReplayPlayer }] = await Promise.all([
    import('ink'),
    import('../ui/replay-app.js'),
    import('../ui/color.js'),
    import('../replay/replay-player.js'),
  ]);
  const player = new ReplayPlayer(recording, { speed: cli.flags.speed, paused: cli.flags.paused });
  const app = render(
    <ColorContext.Provider value={!process.env['NO_COLOR']}>
      <ReplayApp player={player} onQuit={() => player.stop()} />
    </ColorContext.Provider>,
    { exitOnCtrlC: false, maxFps: 10 },
  );
  await app.waitUntilExit();
  player.stop();
  return 0;
}
