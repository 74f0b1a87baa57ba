import { Box, Text } from 'ink';
import { unitOfN, type EngineSnapshot } from '../../engine/snapshot.js';

export function SessionsPanel({ snapshot }: { readonly snapshot: EngineSnapshot }) {
  const { sessions, totals, workload } = snapshot;
  const open = workload.arrivalRate !== undefined;
  // A stateless server holds no sessions: N counts concurrent clients, and what they opened is ours alone.
  const unit = unitOfN(snapshot.protocol);
  const resumed = totals.resumptions ? ` · resumed ${totals.resumptions}` : '';
  const asked = totals.inputRequests ? ` · input requests declined ${totals.inputRequests}` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {unit === 'clients' ? 'concurrent clients (stateless)' : 'sessions'}{' '}
        <Text bold>{sessions.active}</Text>
        {open ? (
          <>
            {' '}
            open · arriving <Text bold>{workload.arrivalRate}/s</Text> (Poisson)
          </>
        ) : (
          ` of N=${sessions.target}`
        )}{' '}
        · connecting {sessions.connecting} · closing {sessions.closing} · in flight {sessions.inflight} ·{' '}
        {unit === 'clients' ? 'clients started' : 'opened'} {totals.sessionsOpened} ·{' '}
        {unit === 'clients' ? 'ended' : 'closed'} {totals.sessionsClosed}
        {resumed}
        {asked}
      </Text>
      <Text dimColor wrap="truncate-end">
        think {workload.thinkMs.min}-{workload.thinkMs.max} ms ·{' '}
        {open ? 'open model' : `jitter ${workload.jitterMs} ms`} · calls/session {workload.sessionCalls.min}-
        {workload.sessionCalls.max} · timeout {workload.timeoutMs} ms · SLO p99 {workload.sloMs} ms
      </Text>
    </Box>
  );
}
