import { describe, expect, it } from '@jest/globals';
import type { Measured } from './load.js';
import { medianRound, type Round } from './report.js';

const run = (rps: number): Measured => ({
  rps,
  p50_ms: 1,
  p99_ms: 10,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  ok_2xx: rps,
  requests: rps,
  status_codes: { '200': rps },
  server_cpu_pct: 80,
  db_cpu_pct: null,
  client_cpu_pct: 50,
  machine_busy_pct: 80,
  other_busy_pct: 2,
});
const round = (floor: number, nectr: number): Round => ({ floor: run(floor), nectr: run(nectr) });

describe('medianRound', () => {
  it('takes the round whose ratio is the median, not the round of the median rates', () => {
    const low = round(10_000, 1_500); // 0.15
    const middle = round(6_000, 1_800); // 0.30
    const high = round(8_000, 3_200); // 0.40
    expect(medianRound([high, low, middle])).toBe(middle);
  });

  it('takes the lower of the middle two for an even count, so the goal is never met on the better half', () => {
    const rounds = [round(10_000, 4_000), round(10_000, 2_000), round(10_000, 3_000), round(10_000, 1_000)];
    expect(medianRound(rounds)).toBe(rounds[1]);
  });

  it('is the only round when there is one', () => {
    const only = round(9_000, 2_500);
    expect(medianRound([only])).toBe(only);
  });
});
