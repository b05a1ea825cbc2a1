/** Latency samples summarised with Node's HDR histogram (perf_hooks), recorded in microseconds. */
import { createHistogram } from 'node:perf_hooks';

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface LatencySummary extends Percentiles {
  count: number;
  min: number;
  max: number;
  mean: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** p50/p95 (and min, max, mean) in milliseconds of samples given in milliseconds. */
export function summarise(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) throw new RangeError('summarise needs at least one sample');
  const histogram = createHistogram();
  // The histogram takes integers ≥ 1: microseconds keep sub-millisecond samples apart.
  for (const ms of samplesMs) histogram.record(Math.max(1, Math.round(ms * 1000)));
  return {
    count: samplesMs.length,
    p50: round(histogram.percentile(50) / 1000),
    p95: round(histogram.percentile(95) / 1000),
    min: round(histogram.min / 1000),
    max: round(histogram.max / 1000),
    mean: round(histogram.mean / 1000),
  };
}
