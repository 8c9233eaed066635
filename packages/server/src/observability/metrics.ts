/** A small Prometheus text-format registry: counters and one latency histogram, no dependency. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Record<string, string>) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly hist = new Map<string, { counts: number[]; sum: number; count: number }>();
  private readonly gauges = new Map<string, { help: string; read: () => number | Promise<number> }>();

  counter(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { help, values: new Map() }));
    const key = labelText(labels);
    c.values.set(key, (c.values.get(key) ?? 0) + by);
  }

  observeRequest(labels: Record<string, string>, seconds: number): void {
    const key = labelText(labels);
    let h = this.hist.get(key);
    if (!h) this.hist.set(key, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h!.counts[i]! += 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  gauge(name: string, help: string, read: () => number | Promise<number>): void {
    this.gauges.set(name, { help, read });
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}${k} ${v}`);
    }
    const hn = 'liandong_http_request_duration_seconds';
    out.push(`# HELP ${hn} HTTP request latency by route`, `# TYPE ${hn} histogram`);
    for (const [k, h] of this.hist) {
      const inner = k.slice(1, -1);
      BUCKETS.forEach((b, i) => out.push(`${hn}_bucket{${inner}${inner ? ',' : ''}le="${b}"} ${h.counts[i]}`));
      out.push(
        `${hn}_bucket{${inner}${inner ? ',' : ''}le="+Inf"} ${h.count}`,
        `${hn}_sum${k} ${h.sum}`,
        `${hn}_count${k} ${h.count}`,
      );
    }
    for (const [name, g] of this.gauges) {
      let v: number;
      try {
        v = await g.read();
      } catch {
        continue;
      }
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${v}`);
    }
    return out.join('\n') + '\n';
  }
}
