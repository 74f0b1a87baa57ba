import { defaultText } from '../config/option-defaults.js';
import { OPTION_GROUPS, OPTIONS, type CliOption } from '../config/options.js';

const USAGE = `  Usage
    $ mcp-load-explorer [options]                      explore the built-in demo server
    $ mcp-load-explorer --url http://host:port/mcp [options]
    $ mcp-load-explorer [options] -- <command> [args…]  stdio: one server process per session
    $ mcp-load-explorer demo-server [--port N] [--stdio] [--bottleneck KIND]
    $ mcp-load-explorer compare BASE.json NEW.json     overlay two runs' P99-vs-N, flag regressions (exit 4)
    $ mcp-load-explorer replay FILE [--speed X] [--paused] [--headless]   play a --record recording back
    $ mcp-load-explorer merge A.json B.json… [--report OUT.json] [--report-md F] [--report-csv F]
                                                       add agents' reports level by level, re-run the analysis
    $ mcp-load-explorer schema config|report|json-lines   print a JSON Schema
    $ mcp-load-explorer help [COMMAND]                 this help, or a command's (also COMMAND --help)`;

const GROUP_TITLE: Readonly<Record<(typeof OPTION_GROUPS)[number], string>> = {
  Target: 'Target',
  Workload: 'Workload (* live-adjustable: s and t in the live screen)',
  Observability: 'Observability',
  'Plan and output': 'Plan and output',
};

const FOOTER = `  Durations: a bare number is in the unit shown (MS or S), or give a unit: 500ms, 90s, 5m, 1h.
  -h, --help               this help
  -v, --version            the version`;

/** `-n, --concurrency N`: what a person types. */
export function optionLabel(option: CliOption): string {
  const name = option.negated ? `--no-${option.flag}` : `--${option.flag}`;
  const alias = option.alias ? `-${option.alias}, ` : '';
  return `${alias}${name}${option.value ? ` ${option.value}` : ''}`;
}

function helpLine(option: CliOption): string {
  const label = optionLabel(option);
  const fallback = defaultText(option);
  const line = `${option.help}${option.live ? ' *' : ''}${fallback ? ` (${fallback})` : ''}`;
  return `    ${label.length < 22 ? label.padEnd(23) : `${label}  `}${line}`;
}

/** The main command's `--help`, grouped as the options table says. */
export function mainHelp(): string {
  const groups = OPTION_GROUPS.map((group) =>
    [`  ${GROUP_TITLE[group]}`, ...OPTIONS.filter((option) => option.group === group).map(helpLine)].join(
      '\n',
    ),
  );
  return `\n${[USAGE, ...groups, FOOTER].join('\n\n')}\n`;
}
