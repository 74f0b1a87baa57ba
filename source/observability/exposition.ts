import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

/** One scrape's series, by sample name, as the Prometheus text exposition or OpenMetrics gives them. */
export class Exposition {
  private readonly families = new Map<string, ParsedFamily>();

  constructor(text: string) {
    // OpenMetrics ends with `# EOF` and names a counter's family without `_total`; the parser keeps the
    // samples under their own names, so a lookup tries both.
    for (const family of parsePrometheusTextFormat(text)) {
      if (family.metrics.length > 0 || !this.families.has(family.name))
        this.families.set(family.name, family);
    }
  }

  get size(): number {
    return this.families.size;
  }

  private family(name: string): ParsedFamily | undefined {
    for (const candidate of [name, `${name}_total`]) {
      const found = this.families.get(candidate);
      if (found && found.metrics.length > 0) return found;
    }
    return undefined;
  }

  /** Sum of a counter's or gauge's samples over all label sets; null when the scrape has none. */
  sum(name: string): number | null {
    const family = this.family(name);
    if (!family) return null;
    let total = 0;
    let seen = false;
    for (const sample of family.metrics) {
      const value = Number(sample.value);
      if (!Number.isFinite(value)) continue;
      total += value;
      seen = true;
    }
    return seen ? total : null;
  }

  /** Largest sample over all label sets (a gauge read per replica or per pool); null when absent. */
  max(name: string): number | null {
    const family = this.family(name);
    if (!family) return null;
    const values = family.metrics.map((sample) => Number(sample.value)).filter(Number.isFinite);
    return values.length ? Math.max(...values) : null;
  }

  /** A histogram's or summary's `_sum` over all label sets (e.g. GC seconds of every kind); null when absent. */
  histogramSum(name: string): number | null {
    const family = this.family(name);
    if (family && (family.type === 'HISTOGRAM' || family.type === 'SUMMARY')) {
      const sums = family.metrics.map((sample) => Number(sample.sum)).filter(Number.isFinite);
      return sums.length ? sums.reduce((total, value) => total + value, 0) : null;
    }
    return this.sum(`${name}_sum`);
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
