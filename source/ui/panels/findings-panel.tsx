import { Box, Text } from 'ink';
import { analyseSnapshot, describeIndependence, describeUnsettled } from '../../analysis/findings.js';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { useTone } from '../color.js';

/** Every finding with its evidence, as the report's `analysis` will carry it (`f`). */
export function FindingsPanel({
  snapshot,
  rows,
}: {
  readonly snapshot: EngineSnapshot;
  readonly rows: number;
}) {
  const tone = useTone();
  const findings = analyseSnapshot(snapshot);
  const evidence = findings.bottleneck.evidence;
  const n = (value: number | null): string => (value === null ? '-' : String(value));
  const lines: [string, string][] = [
    [
      'capacity',
      `knee ${n(findings.kneeConcurrency)} · ceiling ${n(findings.ceilingConcurrency)} · cliff ${n(findings.cliffConcurrency)} · scale at ${n(findings.recommendedScaleAt)}`,
    ],
    ['plan', findings.recommendation],
    ['bottleneck', `${findings.bottleneck.kind}${evidence[0] ? `: ${evidence[0]}` : ''}`],
    ['memory', `${findings.memory.verdict}: ${findings.memory.evidence}`],
    ['steady state', describeUnsettled(findings.unsettledLevels) ?? 'every completed level settled'],
    [
      'independence',
      describeIndependence(findings.independence) ?? 'not checked (--check-independence TOOL.ARG)',
    ],
    // The rest of the bottleneck's evidence goes last: on a short terminal it is what gets cut.
    ...evidence.slice(1).map((line): [string, string] => ['', `· ${line}`]),
  ];
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Findings (f or Esc closes) · the report&apos;s analysis, live</Text>
      {lines.slice(0, Math.max(1, rows - 3)).map(([label, text], index) => (
        <Text key={index} wrap="truncate-end">
          <Text color={tone('cyan')}>{label.padEnd(13)}</Text>
          {text}
        </Text>
      ))}
    </Box>
  );
}
