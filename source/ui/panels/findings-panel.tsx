import { Box, Text } from 'ink';
import { analyseSnapshot, describeIndependence, describeUnsettled } from '../../analysis/findings.js';
import { describeCapacity, describeSample } from '../../analysis/describe.js';
import { describeMismatch } from '../../analysis/littles-law.js';
import type { EngineSnapshot } from '../../engine/snapshot.js';
import { useTone } from '../color.js';
import { wrapWords } from '../../format/fit-text.js';

const caveat = (label: string, text: string | null): [string, string][] => (text ? [[label, text]] : []);

const LABEL_WIDTH = 13;

/**
 * The findings as rows of a panel `columns` wide: each finding wrapped under its label, never cut, so the
 * recommendation and the memory verdict read whole at 80 columns.
 */
export function findingsRows(snapshot: EngineSnapshot, columns: number): readonly [string, string][] {
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
    // The rest of the bottleneck's evidence goes last.
    ...evidence.slice(1).map((line): [string, string] => ['', `· ${line}`]),
  ];
  // Border and padding take four columns, the label column thirteen.
  const width = Math.max(20, columns - 4 - LABEL_WIDTH);
  return lines.flatMap(([label, text]) =>
    wrapWords(text, width).map((part, index): [string, string] => [index === 0 ? label : '', part]),
  );
}

/** Rows of findings that fit in `rows` (border and title taken off). */
export const findingsPageSize = (rows: number): number => Math.max(1, rows - 3);

/** Every finding with its evidence, as the report's `analysis` will carry it (`f`); ↑↓ scroll it. */
export function FindingsPanel({
  snapshot,
  rows,
  columns = 100,
  offset = 0,
}: {
  readonly snapshot: EngineSnapshot;
  readonly rows: number;
  readonly columns?: number;
  /** The first row shown when the findings are taller than the panel. */
  readonly offset?: number;
}) {
  const tone = useTone();
  const all = findingsRows(snapshot, columns);
  const size = findingsPageSize(rows);
  const first = Math.max(0, Math.min(offset, all.length - size));
  const shown = all.slice(first, first + size);
  const scroll =
    all.length > size ? ` · rows ${first + 1}–${first + shown.length} of ${all.length}, ↑↓ scroll` : '';
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">
        Findings (f or Esc closes){scroll || " · the report's analysis, live"}
      </Text>
      {shown.map(([label, text], index) => (
        <Text key={first + index} wrap="truncate-end">
          <Text color={tone('cyan')}>{label.padEnd(LABEL_WIDTH)}</Text>
          {text}
        </Text>
      ))}
    </Box>
  );
}
