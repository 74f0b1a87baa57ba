import { canaryMarkdown } from '../analysis/probe-canary.js';
import { serverFiguresMarkdown } from '../format/server-figures-table.js';
import { describeIndependence, describeUnsettled } from '../analysis/findings.js';
import { caveats, withInterval } from '../analysis/describe.js';
import { capacityPoints } from '../analysis/capacity.js';
import { describeTarget } from '../mcp-client/target.js';
import { formatMs, measuredLevels, skippedLevelsLine } from '../format/run-text.js';
import { fellBehind } from '../metrics/schedule-lag.js';
import { renderCapacityChart } from '../chart/capacity-chart.js';
import type { Report } from './report-schema.js';

const n = (value: number | null): string => (value === null ? '–' : String(value));

function settings(report: Report): string[] {
  const config = report.config;
  const range = (value: unknown): string => {
    const { min, max } = (value ?? {}) as { min?: number; max?: number };
    return `${min ?? '?'}–${max ?? '?'}`;
  };
  const mix = Array.isArray(config['mix'])
    ? (config['mix'] as { tool: string; weight: number }[])
        .map((entry) => `${entry.tool}:${entry.weight}`)
        .join(', ')
    : 'demo default';
  const merged = Array.isArray(config['mergedFrom'])
    ? [
        `- Merged from ${String(config['agents'])} agents' reports (${(config['mergedFrom'] as string[]).join(', ')}): N is the sum of their sessions, settings below are each agent's`,
      ]
    : [];
  return [
    ...merged,
    `- Think time ${range(config['thinkMs'])} ms, arrival jitter ${String(config['jitterMs'])} ms, ${range(config['sessionCalls'])} calls per session, call timeout ${String(config['timeoutMs'])} ms`,
    `- Tool mix: ${mix}`,
    `- Warm-up ${String(config['warmupS'])} s per level${config['steps'] ? `, steps ${(config['steps'] as number[]).join(', ')} held ${String(config['holdS'])} s each` : ''}`,
  ];
}

/**
 * The open model's levels timed both ways: from each call's actual start and from its intended start
 * (its arrival's slot in the schedule), with how late arrivals started; nothing in the closed model.
 */
function scheduleMarkdown(levels: Report['levels']): string[] {
  const open = levels.filter((level) => level.latencyCorrectedMs !== null);
  if (open.length === 0) return [];
  const behind = open.filter((level) => fellBehind(level.latencyMs, level.latencyCorrectedMs));
  const rows = open.map((level) => {
    const [actual, corrected, lag] = [level.latencyMs, level.latencyCorrectedMs, level.scheduleLagMs];
    return `| ${level.arrivalRate ?? '–'} | ${level.concurrency} | ${formatMs(actual?.p50)} | ${formatMs(actual?.p99)} | ${formatMs(corrected?.p50)} | ${formatMs(corrected?.p99)} | ${formatMs(corrected?.max)} | ${formatMs(lag?.p99)} | ${formatMs(lag?.max)} |`;
  });
  return [
    '## Latency corrected for coordinated omission (open model, ms)',
    '',
    behind.length > 0
      ? `The generator fell behind its arrival schedule at ${behind.map((level) => `${level.arrivalRate}/s`).join(', ')}: read the corrected figures.`
      : 'The generator kept its arrival schedule: corrected and uncorrected figures agree.',
    '',
    '| arrive/s | N | p50 | p99 | p50 corrected | p99 corrected | max corrected | lag p99 | lag max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}

/** A Markdown summary for an incident review: target, settings, chart, findings, levels, actions. */
export function renderMarkdown(report: Report): string {
  const { analysis } = report;
  // Every level with a P99 is plotted; those under the call minimum are marked `?` and not counted.
  const points = capacityPoints(report.levels, { minCalls: 1 });
  const chart = renderCapacityChart({
    points,
    sloMs: report.sloMs,
    knee: analysis.kneeConcurrency,
    ceiling: analysis.ceilingConcurrency,
    width: 78,
    height: 10,
    color: false,
  });
  const measured = measuredLevels(report.levels);
  const levelRows = measured.map((level) => {
    const latency = level.latencyMs;
    const n =
      level.arrivalRate === null ? `${level.concurrency}` : `${level.concurrency} (${level.arrivalRate}/s)`;
    const law = analysis.littlesLaw.find((entry) => entry.concurrency === level.concurrency);
    const implied = law ? `${law.impliedConcurrency}${law.mismatch ? ' ⚠' : ''}` : '–';
    return `| ${n} | ${(level.durationMs / 1000).toFixed(0)} | ${level.calls} | ${level.throughput.toFixed(1)} | ${implied} | ${level.errors} | ${formatMs(latency?.mean)} | ${formatMs(latency?.p50)} | ${formatMs(latency?.p90)} | ${formatMs(latency?.p99)} | ${formatMs(latency?.p999)} | ${formatMs(latency?.max)} |`;
  });
  const errors = Object.entries(report.errorsByKind).map(
    ([kind, count]) => `| ${kind} | ${count.count} | ${count.lastMessage.replace(/\|/g, '\\|')} |`,
  );
  const actions = report.actions.map((action) => `| ${action.at} | ${action.kind} | ${action.detail} |`);
  const assertions = report.assertions.map(
    (result) =>
      `- \`${result.expression}\`: ${result.passed ? 'passed' : '**failed**'}${result.worst ? ` (worst ${result.worst.value} at N=${result.worst.concurrency})` : ''}`,
  );
  return [
    `# MCP capacity run: ${describeTarget(report.target)}`,
    '',
    `${report.startedAt} → ${report.endedAt} (${report.endReason})${report.server ? ` · server ${report.server.name} ${report.server.version}` : ''}`,
    ...(report.server?.protocolVersion
      ? [
          '',
          `Protocol ${report.server.protocolVersion}, ${report.server.stateful ? 'stateful (N = sessions the server holds)' : 'stateless (N = concurrent clients; the server holds no sessions)'}.`,
        ]
      : []),
    '',
    `> ${analysis.recommendation}`,
    '',
    '## Settings',
    '',
    `- P99 SLO ${report.sloMs} ms`,
    ...settings(report),
    '',
    '## Findings',
    '',
    `**${analysis.recommendation}**`,
    '',
    `- Knee: ${withInterval(analysis.kneeConcurrency, analysis.kneeInterval)} sessions · ceiling: ${withInterval(analysis.ceilingConcurrency, analysis.ceilingInterval)} · cliff: ${n(analysis.cliffConcurrency)}`,
    `  - knee: ${analysis.kneeReason || 'not recorded'}`,
    ...caveats(analysis).map((line) => `- ${line}`),
    `- Bottleneck: **${analysis.bottleneck.kind}**`,
    ...analysis.bottleneck.evidence.map((line) => `  - ${line}`),
    `- Memory: ${analysis.memory.verdict}; ${analysis.memory.evidence}`,
    ...[describeUnsettled(analysis.unsettledLevels), describeIndependence(analysis.independence)]
      .filter((line): line is string => line !== null)
      .map((line) => `- ${line}`),
    ...assertions,
    '',
    ...(report.canary ? canaryMarkdown(report.canary) : []),
    '## P99 vs concurrent sessions',
    '',
    '```',
    ...chart,
    '```',
    '',
    '## Levels (latency in ms, after warm-up)',
    '',
    '| N | s | calls | calls/s | X·(R+Z) | errors | mean | p50 | p90 | p99 | p99.9 | max |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...levelRows,
    ...(measured.length < report.levels.length
      ? ['', skippedLevelsLine(report.levels.length - measured.length)]
      : []),
    '',
    ...scheduleMarkdown(report.levels),
    ...serverFiguresMarkdown(report.levels),
    ...protocolMarkdown(report.byProtocol),
    ...(errors.length
      ? ['## Errors', '', '| kind | count | last message |', '| --- | ---: | --- |', ...errors, '']
      : []),
    ...(actions.length
      ? [
          '## Operator actions and markers',
          '',
          '| time | kind | detail |',
          '| --- | --- | --- |',
          ...actions,
          '',
        ]
      : []),
    report.server?.stateful === false
      ? `Totals: ${report.totals.sessionsOpened} clients started, ${report.totals.sessionsClosed} ended (stateless: none held by the server), ${report.totals.calls} calls, ${report.totals.errors} errors, ${report.totals.resumptions} streams resumed, ${report.totals.inputRequests} input requests declined.`
      : `Totals: ${report.totals.sessionsOpened} sessions opened, ${report.totals.sessionsClosed} closed, ${report.totals.calls} calls, ${report.totals.errors} errors, ${report.totals.resumptions} streams resumed, ${report.totals.inputRequests} input requests declined.`,
    '',
  ].join('\n');
}

/** With a protocol mix: the run's calls by the revision of their client. */
function protocolMarkdown(byProtocol: Report['byProtocol']): string[] {
  const rows = Object.entries(byProtocol ?? {}).map(
    ([revision, figures]) =>
      `| protocol ${revision} | ${figures.calls} | ${figures.errors} | ${formatMs(figures.latencyMs?.p50)} | ${formatMs(figures.latencyMs?.p99)} | ${formatMs(figures.latencyMs?.max)} |`,
  );
  if (rows.length === 0) return [];
  return [
    '## By protocol revision (whole run, ms)',
    '',
    '| revision | calls | errors | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ];
}

/** One row per level, for spreadsheets. */
export function renderLevelsCsv(report: Report): string {
  const header = [
    'index,concurrency,started_at,duration_ms,calls,throughput,errors,p50_ms,p90_ms,p95_ms,p99_ms,p999_ms,max_ms,mean_ms,',
    'initialize_p99_ms,server_rss_bytes,server_cpu_percent,generator_cpu_percent,generator_event_loop_p99_ms,',
    'arrival_rate,p99_corrected_ms,schedule_lag_p99_ms',
  ].join('');
  const cell = (value: number | string | null | undefined): string =>
    value === null || value === undefined ? '' : String(value);
  const rows = report.levels.map((level) =>
    [
      level.index,
      level.concurrency,
      level.startedAt,
      level.durationMs,
      level.calls,
      level.throughput,
      level.errors,
      level.latencyMs?.p50,
      level.latencyMs?.p90,
      level.latencyMs?.p95,
      level.latencyMs?.p99,
      level.latencyMs?.p999,
      level.latencyMs?.max,
      level.latencyMs?.mean,
      level.initializeMs?.p99,
      level.serverRssBytes,
      level.serverCpuPercent,
      level.generator.cpuPercent,
      level.generator.eventLoopDelayP99Ms,
      level.arrivalRate,
      level.latencyCorrectedMs?.p99,
      level.scheduleLagMs?.p99,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
