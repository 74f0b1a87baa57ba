import { readFile, stat } from 'node:fs/promises';
import type { ProbeSample } from '../analysis/probe-canary.js';
import { PreflightError } from '../engine/preflight-error.js';

/** A probe history larger than this is refused. */
const MAX_HISTORY_BYTES = 64 * 1024 ** 2;

const parseTime = (text: unknown): number => {
  if (typeof text === 'number') return text < 1e11 ? text * 1000 : text;
  const trimmed = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return parseTime(Number(trimmed));
  return Date.parse(trimmed);
};

/** Latency columns by name; seconds are turned into ms. */
const SECONDS = /(^|_)(s|sec|secs|seconds)$|duration_seconds/i;

function fromCsv(text: string, file: string): ProbeSample[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() && !line.startsWith('#'));
  const header = lines[0]?.split(',').map((cell) => cell.trim().replace(/^"|"$/g, '')) ?? [];
  const named = header.some((cell) => /[a-z]/i.test(cell) && Number.isNaN(parseTime(cell)));
  const latencyColumn = named
    ? header.findIndex((cell) => /latency|duration|ms|seconds|value/i.test(cell))
    : 1;
  const timeColumn = named ? header.findIndex((cell) => /time|date|at/i.test(cell)) : 0;
  if (latencyColumn < 0 || timeColumn < 0)
    throw new PreflightError(
      `--probe-history ${file}: expected columns time,latency_ms (or latency_seconds); found ${header.join(',')}`,
    );
  const scale = named && SECONDS.test(header[latencyColumn] ?? '') ? 1000 : 1;
  return lines.slice(named ? 1 : 0).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    const at = parseTime(cells[timeColumn]);
    const latency = Number(cells[latencyColumn]) * scale;
    if (Number.isNaN(at) || !Number.isFinite(latency) || latency < 0)
      throw new PreflightError(
        `--probe-history ${file}: line ${index + (named ? 2 : 1)} is not time,latency; fix or remove it`,
      );
    return { at, latencyMs: latency };
  });
}

function fromJson(value: unknown, file: string): ProbeSample[] {
  const bad = (): never => {
    throw new PreflightError(
      `--probe-history ${file}: expected a JSON array of {"time": …, "latencyMs": …} or [time, latencyMs] pairs`,
    );
  };
  if (!Array.isArray(value)) return bad();
  return value.map((entry: unknown) => {
    if (Array.isArray(entry)) return { at: parseTime(entry[0]), latencyMs: Number(entry[1]) };
    if (entry === null || typeof entry !== 'object') return bad();
    const record = entry as Record<string, unknown>;
    const time = record['time'] ?? record['timestamp'] ?? record['at'];
    const seconds = record['latencySeconds'] ?? record['latency_seconds'] ?? record['durationSeconds'];
    const ms = record['latencyMs'] ?? record['latency_ms'] ?? record['latency'];
    return {
      at: parseTime(time),
      latencyMs: seconds !== undefined ? Number(seconds) * 1000 : Number(ms),
    };
  });
}

/** Reads a probe's history: CSV (time, latency in ms or a `…_seconds` column) or JSON. */
export async function readProbeHistory(file: string): Promise<ProbeSample[]> {
  let text: string;
  try {
    if ((await stat(file)).size > MAX_HISTORY_BYTES)
      throw new PreflightError(`--probe-history ${file}: larger than 64 MB; give a shorter period`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PreflightError(`--probe-history ${file}: cannot read it (${code}); check the path`);
  }
  let samples: ProbeSample[];
  if (/^\s*[[{]/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new PreflightError(`--probe-history ${file}: not valid JSON (${(error as Error).message})`);
    }
    samples = fromJson(value, file);
  } else samples = fromCsv(text, file);
  const valid = samples.filter(
    (sample) => !Number.isNaN(sample.at) && Number.isFinite(sample.latencyMs) && sample.latencyMs >= 0,
  );
  if (valid.length !== samples.length)
    throw new PreflightError(
      `--probe-history ${file}: ${samples.length - valid.length} entries lack a time or latency`,
    );
  if (valid.length === 0) throw new PreflightError(`--probe-history ${file}: no readings in it`);
  return valid;
}

/** Asks Prometheus for the probe's readings (seconds) over the last `rangeS` seconds. */
export async function queryProbe(prometheus: string, query: string, rangeS: number): Promise<ProbeSample[]> {
  const end = Date.now() / 1000;
  const start = end - rangeS;
  const step = Math.max(1, Math.ceil(rangeS / 10_000));
  const url = new URL('api/v1/query_range', prometheus.endsWith('/') ? prometheus : `${prometheus}/`);
  url.search = new URLSearchParams({
    query,
    start: String(start),
    end: String(end),
    step: String(step),
  }).toString();
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json().catch(() => null)) as {
    status?: string;
    error?: string;
    data?: { result?: { values?: [number, string][] }[] };
  } | null;
  if (!response.ok || body?.status !== 'success')
    throw new Error(
      `Prometheus answered ${response.status}: ${String(body?.error ?? 'no JSON').slice(0, 200)}`,
    );
  const samples: ProbeSample[] = [];
  for (const series of body.data?.result ?? [])
    for (const [at, value] of series.values ?? []) {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0)
        samples.push({ at: at * 1000, latencyMs: seconds * 1000 });
    }
  return samples;
}
