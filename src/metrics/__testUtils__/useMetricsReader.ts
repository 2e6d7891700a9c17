import { Attributes, metrics } from '@opentelemetry/api';
import {
  DataPoint,
  Histogram,
  MeterProvider,
  MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

/** A reader that exports nothing: tests call `collect()` on it. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** One data point as a test compares it. */
export type Point<T> = { attributes: Attributes; value: T };

/**
 * Registers an OpenTelemetry SDK meter provider with an in-memory reader
 * as the global one for each test, and removes it afterwards. Call it at
 * the top of a `describe`; the returned functions read what the
 * instruments recorded so far (cumulative, as a Prometheus scrape sees it).
 */
export function useMetricsReader() {
  let reader: CollectingReader | undefined;
  let provider: MeterProvider | undefined;

  beforeEach(() => {
    reader = new CollectingReader();
    provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
  });

  afterEach(async () => {
    metrics.disable();
    await provider?.shutdown();
  });

  async function metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics, errors } = await reader!.collect();
    expect(errors).toEqual([]);
    for (const scope of resourceMetrics.scopeMetrics) {
      const found = scope.metrics.find(m => m.descriptor.name === name);
      if (found) {
        return found;
      }
    }
    return undefined;
  }

  /** The instrumentation scopes that recorded something. */
  async function scopes(): Promise<{ name: string; version?: string }[]> {
    const { resourceMetrics } = await reader!.collect();
    return resourceMetrics.scopeMetrics.map(({ scope }) => ({
      name: scope.name,
      version: scope.version,
    }));
  }

  /** A counter's points: attributes and value. */
  async function counts(name: string): Promise<Point<number>[]> {
    const data = await metric(name);
    return (data?.dataPoints ?? []).map(p => ({
      attributes: p.attributes,
      value: p.value as number,
    }));
  }

  /** A histogram's points: attributes and count, sum and buckets. */
  async function histograms(name: string): Promise<Point<Histogram>[]> {
    const data = await metric(name);
    return ((data?.dataPoints ?? []) as DataPoint<Histogram>[]).map(p => ({
      attributes: p.attributes,
      value: p.value,
    }));
  }

  /** The sum of a counter's points whose attributes include `match`. */
  async function total(name: string, match: Attributes = {}) {
    const points = await counts(name);
    return points
      .filter(p =>
        Object.entries(match).every(([k, v]) => p.attributes[k] === v),
      )
      .reduce((sum, p) => sum + p.value, 0);
  }

  return { metric, scopes, counts, histograms, total };
}
