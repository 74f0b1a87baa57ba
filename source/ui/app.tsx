import { Box, Text, useApp } from 'ink';
import { useState } from 'react';
import { formatBytes, formatElapsed, formatMs } from '../headless/format.js';
import { describeTarget } from '../target/target.js';
import type { EnginePort } from './engine-port.js';
import { useControls } from './use-controls.js';
import { useEngineSnapshot } from './use-engine-snapshot.js';

export interface AppProps {
  readonly engine: EnginePort;
  /** Called once when the operator quits; the CLI then stops the engine. */
  readonly onQuit: () => void;
}

const COLUMNS = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p99.9', 'p999'],
  ['max', 'max'],
  ['mean', 'mean'],
] as const;

/** The live screen: target, sessions, rolling latency, errors and the event log. */
export function App({ engine, onQuit }: AppProps) {
  const snapshot = useEngineSnapshot(engine);
  const { exit } = useApp();
  const [notice, setNotice] = useState<string | null>(null);
  useControls({
    engine,
    snapshot,
    onError: setNotice,
    onQuit: () => {
      onQuit();
      exit();
    },
  });
  const { sessions, window, totals, server, generator, workload } = snapshot;
  const latency = window.latencyMs;
  const errors = Object.entries(snapshot.errorsByKind);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>mcp-load-explorer</Text> {describeTarget(snapshot.target)} ·{' '}
        {formatElapsed(snapshot.elapsedMs)} ·{' '}
        <Text color={snapshot.state === 'paused' ? 'yellow' : 'green'}>{snapshot.state}</Text>
      </Text>
      <Text>
        sessions <Text bold>{sessions.active}</Text>/{sessions.target} · connecting {sessions.connecting} ·
        closing {sessions.closing} · in flight {sessions.inflight} · opened {totals.sessionsOpened}
      </Text>
      <Text>
        tool calls {window.throughput.toFixed(1)}/s over {window.seconds}s · {window.calls} calls
      </Text>
      <Text>
        latency ms {COLUMNS.map(([label, column]) => ` ${label} ${formatMs(latency?.[column])}`).join(' ')}
      </Text>
      <Text>
        initialize p50 {formatMs(window.initializeMs?.p50)} · p99 {formatMs(window.initializeMs?.p99)} ms ·
        SLO p99 {workload.sloMs} ms
      </Text>
      <Text>
        server rss {formatBytes(server?.rssBytes)} cpu {server ? `${server.cpuPercent.toFixed(0)}%` : '-'} ·
        generator cpu {generator.cpuPercent.toFixed(0)}% rss {formatBytes(generator.rssBytes)} loop p99{' '}
        {formatMs(generator.eventLoopDelayP99Ms)} ms
      </Text>
      <Text color={totals.errors > 0 ? 'red' : undefined}>
        errors {totals.errors}
        {errors.map(([kind, count]) => ` · ${kind} ${count.count}`).join('')}
      </Text>
      {snapshot.events.slice(-3).map((event) => (
        <Text key={`${event.at}-${event.message}`} dimColor wrap="truncate-end">
          {event.level}: {event.message}
        </Text>
      ))}
      {notice ? <Text color="yellow">{notice}</Text> : null}
      <Text dimColor>↑/↓ ±1 session · PgUp/PgDn ±10 · space pause · m marker · q quit</Text>
    </Box>
  );
}
