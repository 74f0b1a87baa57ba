import { writePrivateFile } from '../files/private-file.js';
import type { Config } from '../config/schema.js';
import type { EngineSnapshot } from '../engine/snapshot.js';
import { REDACTED, redactUrl } from '../mcp-client/target.js';
import { analyse, analyseSnapshot } from '../analysis/findings.js';
import { checkAssertions } from '../analysis/assertions.js';
import type { EndReason, Report } from './report-schema.js';

export const VERSION = '0.1.0';

/** The config as recorded: secrets out, only plain settings. */
function recordedConfig(config: Config): Record<string, unknown> {
  const { headers, bottleneck, ...rest } = config;
  return {
    ...rest,
    ...(rest.url ? { url: redactUrl(rest.url) } : {}),
    // The demo's bottleneck only means something when the run explored the embedded demo server.
    ...(config.url || config.command ? {} : { bottleneck }),
    headers: Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED])),
  };
}

export interface ReportInput {
  readonly snapshot: EngineSnapshot;
  readonly config: Config;
  readonly server: Report['server'];
  readonly endReason: EndReason;
  readonly error?: string | null;
  readonly startup?: Report['startup'];
  /** The production canary (`--probe-history`, `--probe-query`). */
  readonly canary?: Report['canary'];
}

export function buildReport(input: ReportInput): Report {
  const { snapshot, config } = input;
  const { byProtocol, ...totals } = snapshot.totals;
  return {
    tool: 'mcp-load-explorer',
    version: VERSION,
    target: snapshot.target as Report['target'],
    server: input.server,
    startedAt: snapshot.startedAt,
    endedAt: new Date().toISOString(),
    endReason: input.endReason,
    sloMs: snapshot.workload.sloMs,
    config: recordedConfig(config),
    levels: snapshot.levels.map((level) => ({ ...level })),
    totals: { resumptions: 0, inputRequests: 0, ...totals },
    ...(byProtocol ? { byProtocol } : {}),
    errorsByKind: snapshot.errorsByKind,
    startup: input.startup ?? null,
    actions: [...snapshot.actions],
    analysis: analyseSnapshot(snapshot),
    assertions: checkAssertions(config.assert, snapshot.levels),
    error: input.error ?? null,
    ...(input.canary ? { canary: input.canary } : {}),
  };
}

export function writeReport(file: string, report: Report): Promise<void> {
  return writePrivateFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Writes every report the config asks for (JSON, Markdown, CSV); returns the files written. */
export async function writeReports(
  files: {
    readonly report?: string;
    readonly reportMd?: string;
    readonly reportCsv?: string;
    readonly junit?: string;
  },
  report: Report,
): Promise<string[]> {
  const written: string[] = [];
  if (files.report) await writeReport(files.report, report).then(() => written.push(files.report!));
  // The Markdown (its chart), CSV and JUnit (an XML builder) writers load only when asked for.
  if (files.reportMd) {
    const { renderMarkdown } = await import('./markdown-report.js');
    await writePrivateFile(files.reportMd, renderMarkdown(report)).then(() => written.push(files.reportMd!));
  }
  if (files.reportCsv) {
    const { renderLevelsCsv } = await import('./markdown-report.js');
    await writePrivateFile(files.reportCsv, renderLevelsCsv(report)).then(() =>
      written.push(files.reportCsv!),
    );
  }
  if (files.junit) {
    const { renderJunit } = await import('./junit.js');
    await writePrivateFile(files.junit, renderJunit(report)).then(() => written.push(files.junit!));
  }
  return written;
}

/**
 * Loads now the writers `files` will need: a run that ends out of file descriptors (every socket open)
 * could not open a module's file when it writes the report. `markdown`: load the Markdown writer anyway.
 */
export async function preloadWriters(
  files: { readonly reportMd?: string; readonly reportCsv?: string; readonly junit?: string },
  markdown = false,
): Promise<void> {
  await Promise.all([
    markdown || files.reportMd || files.reportCsv ? import('./markdown-report.js') : null,
    files.junit ? import('./junit.js') : null,
  ]);
}

/** The report of a run that could not start: the settings and what stopped it, no levels. */
export function buildFailureReport(config: Config, startedAt: Date, error: string): Report {
  const target: Report['target'] = config.command
    ? { transport: 'stdio', command: config.command.join(' ') }
    : {
        transport: config.url && config.sse ? 'sse' : 'streamable-http',
        url: config.url ? redactUrl(config.url) : 'demo-server',
        headers: Object.fromEntries(
          [...Object.keys(config.headers), ...Object.keys(config.headerEnv)].map((name) => [name, REDACTED]),
        ),
      };
  return {
    tool: 'mcp-load-explorer',
    version: VERSION,
    target,
    server: null,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    endReason: 'error',
    sloMs: config.sloMs,
    config: recordedConfig(config),
    levels: [],
    totals: { sessionsOpened: 0, sessionsClosed: 0, resumptions: 0, inputRequests: 0, calls: 0, errors: 0 },
    errorsByKind: {},
    startup: null,
    actions: [],
    analysis: analyse([], config.sloMs),
    assertions: checkAssertions(config.assert, []),
    error,
  };
}
