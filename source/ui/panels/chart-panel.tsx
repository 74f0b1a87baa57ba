import { Box, Text } from 'ink';
import { useContext } from 'react';
import { capacityPoints, findCeiling, findKnee } from '../../analysis/capacity.js';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { formatMs } from '../../headless/format.js';
import { renderCapacityChart } from '../capacity-chart.js';
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
  const knee = findKnee(points);
  // The level still being held is drawn, but only a completed hold can set the ceiling.
  const ceiling = findCeiling(capacityPoints(snapshot.levels, { completedOnly: true }), sloMs);
  const lines = renderCapacityChart({ points, sloMs, knee, ceiling, width, height, color });
  const trend = snapshot.history.p99Ms;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>P99 vs sessions</Text> · SLO <Text color={tone('red')}>{sloMs} ms</Text> · knee{' '}
        <Text color={tone('yellow')}>{knee === null ? '-' : `N=${knee}`}</Text> · ceiling{' '}
        <Text color={tone('red')}>{ceiling === null ? '-' : `N=${ceiling}`}</Text> · p99 now{' '}
        {formatMs(trend[trend.length - 1])} ms <Text color={tone('cyan')}>{sparkline(trend, 30)}</Text>
      </Text>
      {lines.map((line, index) => (
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
