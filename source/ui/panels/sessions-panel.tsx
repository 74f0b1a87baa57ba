import { Box, Text } from 'ink';
import { unitOfN, type EngineSnapshot } from '../../engine/snapshot.js';

export function SessionsPanel({ snapshot }: { readonly snapshot: EngineSnapshot }) {
  const { sessions, totals, workload } = snapshot;
  const open = workload.arrivalRate !== undefined;
  // A stateless server holds no sessions: N counts concurrent clients, and what they opened is ours alone.
  const unit = workload.protocolMix ? 'mixed' : unitOfN(snapshot.protocol);
  // A protocol mix: 2025-11-25 clients hold sessions, 2026-07-28 ones do not; N counts clients.
  const label = {
    clients: 'concurrent clients (stateless)',
    mixed: 'concurrent clients',
    sessions: 'sessions',
  };
  const resumed = totals.resumptions ? ` · resumed ${totals.resumptions}` : '';
  const asked = totals.inputRequests ? ` · input requests declined ${totals.inputRequests}` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {label[unit]} <Text bold>{sessions.active}</Text>
        {open ? (
          <>
            {' '}
            open · arriving <Text bold>{workload.arrivalRate}/s</Text> (Poisson)
          </>
        ) : (
          ` of N=${sessions.target}`
        )}{' '}
        · connecting {sessions.connecting} · closing {sessions.closing} · in flight {sessions.inflight} ·{' '}
        {unit === 'sessions' ? 'opened' : 'clients started'} {totals.sessionsOpened} ·{' '}
        {unit === 'sessions' ? 'closed' : 'ended'} {totals.sessionsClosed}
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
