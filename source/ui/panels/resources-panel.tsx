import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { formatBytes, formatMs } from '../../format/run-text.js';
import { useTone } from '../color.js';
import { sparkline } from '../sparkline.js';

const TREND = 12;

/**
 * The generator is saturated when a worker's core is nearly used up or its event loop lags: then
 * latencies include the generator's own queueing and are not to be trusted.
 */
export function generatorSaturated(snapshot: EngineSnapshot): string | null {
  const { generator } = snapshot;
  const cores = Math.max(1, generator.workers);
  if (generator.eventLoopDelayP99Ms > 50)
    return `event-loop delay p99 ${formatMs(generator.eventLoopDelayP99Ms)} ms`;
  if (generator.cpuPercent > 85 * cores)
    return `CPU ${generator.cpuPercent.toFixed(0)}% across ${cores} worker(s)`;
  return null;
}

export function ResourcesPanel({ snapshot }: { readonly snapshot: EngineSnapshot }) {
  const tone = useTone();
  const { server, generator, history } = snapshot;
  const saturated = generatorSaturated(snapshot);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {'server   '}
        {server ? (
          <>
            rss {formatBytes(server.rssBytes).padStart(5)}{' '}
            <Text color={tone('cyan')}>{sparkline(history.serverRssBytes, TREND)}</Text>
            {'  '}cpu {`${server.cpuPercent.toFixed(0)}%`.padStart(4)}{' '}
            <Text color={tone('cyan')}>{sparkline(history.serverCpuPercent, TREND)}</Text>
            {server.eventLoopDelayP99Ms !== null && server.eventLoopDelayP99Ms !== undefined ? (
              <>
                {'  '}loop p99 {formatMs(server.eventLoopDelayP99Ms)} ms{' '}
                <Text color={tone('cyan')}>{sparkline(history.serverEventLoopDelayMs ?? [], TREND)}</Text>
              </>
            ) : null}
            {server.gcMsPerS !== null && server.gcMsPerS !== undefined
              ? `  gc ${formatMs(server.gcMsPerS)} ms/s`
              : ''}
            {server.processes > 1
              ? ` · ${server.processes} ${server.source === 'metrics' ? 'replicas' : 'processes'}`
              : ''}
          </>
        ) : (
          <Text dimColor>
            rss/cpu unknown: use --spawn or --pid, or --server-metrics URL for a remote server
          </Text>
        )}
      </Text>
      {Object.entries(server?.series ?? {}).map(([name, series]) => (
        <Text key={name} wrap="truncate-end">
          {'server   '}
          {name} {series.value === null ? '–' : String(Math.round(series.value * 100) / 100)}{' '}
          <Text color={tone('cyan')}>{sparkline(series.trend, TREND)}</Text>
        </Text>
      ))}
      <Text wrap="truncate-end">
        {'generator '}rss {formatBytes(generator.rssBytes).padStart(5)}{' '}
        <Text color={tone('cyan')}>{sparkline(history.generatorRssBytes, TREND)}</Text>
        {'  '}cpu {`${generator.cpuPercent.toFixed(0)}%`.padStart(4)}{' '}
        <Text color={tone('cyan')}>{sparkline(history.generatorCpuPercent, TREND)}</Text>
        {'  '}loop p99 {formatMs(generator.eventLoopDelayP99Ms)} ms{' '}
        <Text color={tone('cyan')}>{sparkline(history.eventLoopDelayMs, TREND)}</Text>
      </Text>
      {saturated ? (
        <Text color={tone('yellow')} bold wrap="truncate-end">
          ⚠ the load generator is saturated ({saturated}): latencies include its own delay, do not trust them
        </Text>
      ) : null}
    </Box>
  );
}
