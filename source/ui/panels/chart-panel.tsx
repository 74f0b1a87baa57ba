import { Box, Text } from 'ink';
import { useContext } from 'react';
import { capacityPoints } from '../../analysis/capacity.js';
import { analyseSnapshot } from '../../analysis/findings.js';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { formatMs } from '../../format/run-text.js';
import { renderCapacityChart } from '../../chart/capacity-chart.js';
import { ColorContext, useTone } from '../color.js';
import { sparkline } from '../sparkline.js';

/** P99 vs N with the SLO, the knee and the ceiling; beside it, P99 over time at the current level. */
export function ChartPanel({
  snapshot,
  width,
  height,
}: {
  readonly snapshot: EngineSnapshot;
  readonly width: number;
  readonly height: number;
}) {
  const color = useContext(ColorContext);
  const tone = useTone();
  const points = capacityPoints(snapshot.levels);
  const sloMs = snapshot.workload.sloMs;
  // The level still being held is drawn, but only a completed hold can set the ceiling.
  const findings = analyseSnapshot(snapshot);
  const knee = findings.kneeConcurrency;
  const ceiling = findings.ceilingConcurrency;
  const lines = renderCapacityChart({ points, sloMs, knee, ceiling, width, height, color });
  const trend = snapshot.history.p99Ms;
  const n = (value: number | null): string => (value === null ? '-' : String(value));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>P99 vs N</Text> · SLO <Text color={tone('red')}>{sloMs}</Text> · knee{' '}
        <Text color={tone('yellow')}>{n(knee)}</Text> · ceiling <Text color={tone('red')}>{n(ceiling)}</Text>{' '}
        · cliff <Text color={tone('red')}>{n(findings.cliffConcurrency)}</Text> · scale at{' '}
        <Text bold>{n(findings.recommendedScaleAt)}</Text> · p99 now {formatMs(trend[trend.length - 1])} ms{' '}
        <Text color={tone('cyan')}>{sparkline(trend, 24)}</Text>
      </Text>
      <Text wrap="truncate-end">
        bottleneck <Text bold>{findings.bottleneck.kind}</Text>
        {findings.bottleneck.evidence[0] ? `: ${findings.bottleneck.evidence[0]}` : ''}
      </Text>
      {lines.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
