import parsePrometheusTextFormat, { type ParsedSample } from 'parse-prometheus-text-format';

/** One scrape's series, by sample name, as the Prometheus text exposition or OpenMetrics gives them. */
export class Exposition {
  /** Samples by name; a name met again (a histogram's label sets interleave their series) adds to it. */
  private readonly families = new Map<string, ParsedSample[]>();
  /** Families the scrape declares with `# TYPE`, samples or not (prom-client declares GC pauses before any). */
  private readonly declared = new Set<string>();

  constructor(text: string) {
    // OpenMetrics names a counter's family without `_total`; the parser keeps the samples under their own
    // names, so a lookup tries both. The parser folds a histogram's or summary's label sets into one and
    // drops their `_sum` (prom-client labels GC pauses by kind): read as untyped, each `_sum` stays a series.
    const plain = text
      .replace(/^# TYPE (\S+) (histogram|gaugehistogram|summary)\s*$/gm, '# TYPE $1 untyped')
      .replace(/^([^#\s][^#]*?)\s+#\s*\{.*$/gm, '$1');
    for (const match of text.matchAll(/^# TYPE (\S+) /gm)) this.declared.add(match[1]!);
    for (const family of parsePrometheusTextFormat(plain)) {
      const samples = this.families.get(family.name);
      if (samples) samples.push(...family.metrics);
      else this.families.set(family.name, [...family.metrics]);
    }
  }

  get size(): number {
    return this.families.size;
  }

  private samples(name: string): ParsedSample[] | undefined {
    for (const candidate of [name, `${name}_total`]) {
      const found = this.families.get(candidate);
      if (found && found.length > 0) return found;
    }
    return undefined;
  }

  /** Sum of a counter's or gauge's samples over all label sets; null when the scrape has none. */
  sum(name: string): number | null {
    const samples = this.samples(name);
    if (!samples) return null;
    let total = 0;
    let seen = false;
    for (const sample of samples) {
      const value = Number(sample.value);
      if (!Number.isFinite(value)) continue;
      total += value;
      seen = true;
    }
    return seen ? total : null;
  }

  /** Largest sample over all label sets (a gauge read per replica or per pool); null when absent. */
  max(name: string): number | null {
    const values = (this.samples(name) ?? []).map((sample) => Number(sample.value)).filter(Number.isFinite);
    return values.length ? Math.max(...values) : null;
  }

  /**
   * A histogram's or summary's `_sum` over all label sets (e.g. GC seconds of every kind). A family declared
   * with no samples yet (no GC since start) is 0; null only when the scrape does not have it at all.
   */
  histogramSum(name: string): number | null {
    return this.sum(`${name}_sum`) ?? (this.declared.has(name) ? 0 : null);
  }

  /** The first of `names` the scrape has, as a sum. */
  first(names: readonly string[]): number | null {
    for (const name of names) {
      const value = this.sum(name);
      if (value !== null) return value;
    }
    return null;
  }
}
