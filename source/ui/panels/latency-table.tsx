import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { formatMs } from '../../format/run-text.js';
import type { Percentiles } from '../../metrics/histogram.js';
import { fellBehind } from '../../metrics/schedule-lag.js';
import { useTone } from '../color.js';

const HEADER = ['', 'calls/s', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean', 'errors'];
const WIDTHS = [13, 8, 7, 7, 7, 7, 7, 7, 7, 7];

function cells(name: string, rate: string, latency: Percentiles | null, errors: string): string[] {
  const ms = (value: number | undefined): string => formatMs(value);
  return [
    name,
    rate,
    ms(latency?.p50),
    ms(latency?.p90),
    ms(latency?.p95),
    ms(latency?.p99),
    ms(latency?.p999),
    ms(latency?.max),
    ms(latency?.mean),
    errors,
  ];
}

function Row({
  values,
  p99Tone,
  bold,
}: {
  readonly values: string[];
  readonly p99Tone?: string;
  readonly bold?: boolean;
}) {
  return (
    <Text bold={bold} wrap="truncate-end">
      {values.map((value, index) => {
        const text = index === 0 ? value.slice(0, 12).padEnd(WIDTHS[0]!) : value.padStart(WIDTHS[index]!);
        return index === 5 && p99Tone ? (
          <Text key={index} color={p99Tone}>
            {text}
          </Text>
        ) : (
          <Text key={index}>{text}</Text>
        );
      })}
    </Text>
  );
}

/** Open model: the generator fell behind its arrival schedule, so the corrected latency is shown too. */
export function behind(snapshot: EngineSnapshot): boolean {
  return fellBehind(snapshot.window.latencyMs, snapshot.window.latencyCorrectedMs);
}

/**
 * Rolling tool-call latency (ms), overall, per tool and per revision of a protocol mix, with initialize beside it; when the open model's
 * generator fell behind its schedule, the latency from each call's intended start and the lag.
 */
export function LatencyTable({
  snapshot,
  toolRows,
}: {
  readonly snapshot: EngineSnapshot;
  readonly toolRows: number;
}) {
  const tone = useTone();
  const { window, workload } = snapshot;
  const p99Tone = (latency: Percentiles | null): string | undefined =>
    !latency
      ? undefined
      : latency.p99 > workload.sloMs
        ? tone('red')
        : latency.p99 > workload.sloMs / 2
          ? tone('yellow')
          : undefined;
  const tools = [...window.tools].sort((a, b) => b.calls - a.calls).slice(0, toolRows);
  // A protocol mix: a row per revision, `v2025-11-25` (the name column holds 12 characters).
  const revisions = window.protocols ?? [];
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-end">
        {`last ${window.seconds}s, ms`.padEnd(WIDTHS[0]!)}
        {HEADER.slice(1)
          .map((title, index) => title.padStart(WIDTHS[index + 1]!))
          .join('')}
      </Text>
      <Row
        bold
        values={cells('all', window.throughput.toFixed(1), window.latencyMs, String(window.errors))}
        p99Tone={p99Tone(window.latencyMs)}
      />
      {tools.map((tool) => (
        <Row
          key={tool.name}
          values={cells(tool.name, tool.throughput.toFixed(1), tool.latencyMs, String(tool.errors))}
          p99Tone={p99Tone(tool.latencyMs)}
        />
      ))}
      {revisions.map((revision) => (
        <Row
          key={revision.name}
          values={cells(
            `v${revision.name}`,
            revision.throughput.toFixed(1),
            revision.latencyMs,
            String(revision.errors),
          )}
          p99Tone={p99Tone(revision.latencyMs)}
        />
      ))}
      <Row values={cells('initialize', '', window.initializeMs, '')} />
      {behind(snapshot) ? (
        <>
          <Row
            values={cells('corrected', '', window.latencyCorrectedMs ?? null, '')}
            p99Tone={p99Tone(window.latencyCorrectedMs ?? null)}
          />
          <Row values={cells('behind by', '', window.scheduleLagMs ?? null, '')} />
        </>
      ) : null}
    </Box>
  );
}
