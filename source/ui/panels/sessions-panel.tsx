import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../../engine/snapshot.js';

export function SessionsPanel({ snapshot }: { readonly snapshot: EngineSnapshot }) {
  const { sessions, totals, workload } = snapshot;
  const open = workload.arrivalRate !== undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        sessions <Text bold>{sessions.active}</Text>
        {open ? (
          <>
            {' '}
            open · arriving <Text bold>{workload.arrivalRate}/s</Text> (Poisson)
          </>
        ) : (
          ` of N=${sessions.target}`
        )}{' '}
        · connecting {sessions.connecting} · closing {sessions.closing} · in flight {sessions.inflight} ·
        opened {totals.sessionsOpened} · closed {totals.sessionsClosed}
      </Text>
      <Text dimColor wrap="truncate-end">
        think {workload.thinkMs.min}-{workload.thinkMs.max} ms ·{' '}
        {open ? 'open model' : `jitter ${workload.jitterMs} ms`} · calls/session {workload.sessionCalls.min}-
        {workload.sessionCalls.max} · timeout {workload.timeoutMs} ms · SLO p99 {workload.sloMs} ms
      </Text>
    </Box>
  );
}
