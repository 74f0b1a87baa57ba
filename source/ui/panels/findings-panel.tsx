import { Box, Text } from 'ink';
import { analyseSnapshot, describeIndependence, describeUnsettled } from '../../analysis/findings.js';
import { describeCapacity, describeSample } from '../../analysis/describe.js';
import { describeMismatch } from '../../analysis/littles-law.js';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { useTone } from '../color.js';

const caveat = (label: string, text: string | null): [string, string][] => (text ? [[label, text]] : []);

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
    ['capacity', `${describeCapacity(findings)} · scale at ${n(findings.recommendedScaleAt)}`],
    ['knee', findings.kneeReason],
    ['plan', findings.recommendation],
    // Only when they apply: a short terminal keeps the findings themselves.
    ...caveat('sample', describeSample(findings)),
    ...caveat('load applied', describeMismatch(findings.littlesLaw)),
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
