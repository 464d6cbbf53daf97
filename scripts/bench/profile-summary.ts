// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function and
// self time per package, optionally only over a time window (CLOCK_MONOTONIC microseconds, the clock
// of both V8's profile timestamps and process.hrtime). Used by `npm run bench` with BENCH_CPU_PROF=1;
// also runs alone: node dist-bench/scripts/bench/profile-summary.js <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Milliseconds of samples counted (inside the window). */
  totalMs: number;
  windowed: boolean;
  self: Array<{ name: string; ms: number; pct: number }>;
  inclusive: Array<{ name: string; ms: number; pct: number }>;
  packages: Array<{ name: string; ms: number; pct: number }>;
}

const SPECIAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)']);

function where(url: string): string {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (SPECIAL.has(name) || !url) return name;
  return `${name} ${where(url)}:${lineNumber + 1}`;
}

/** Which package (or part of Nectr, or Node itself) a frame belongs to. */
function packageOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return '(native/builtin)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `nectr:${url
      .slice(dist + 1)
      .split('/')
      .slice(0, 3)
      .join('/')}`;
  return url;
}

function top(map: Map<string, number>, totalUs: number, count: number) {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 100) / 10,
      pct: totalUs ? Math.round((us / totalUs) * 1000) / 10 : 0,
    }));
}

export function summariseProfile(
  file: string,
  options: { fromUs?: number; toUs?: number; top?: number } = {},
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Only use the window if it overlaps the profile (both clocks are CLOCK_MONOTONIC on Linux).
  const windowed =
    options.fromUs !== undefined &&
    options.toUs !== undefined &&
    options.fromUs < profile.endTime &&
    options.toUs > profile.startTime;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (windowed && (t < options.fromUs! || t > options.toUs!)) continue;
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? 0;
    if (weight <= 0) continue;
    const leaf = byId.get(profile.samples[i]);
    if (!leaf) continue;
    totalUs += weight;
    const leafKey = functionKey(leaf);
    self.set(leafKey, (self.get(leafKey) ?? 0) + weight);
    const pkg = packageOf(leaf);
    packages.set(pkg, (packages.get(pkg) ?? 0) + weight);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id)!;
      const key = functionKey(node);
      if (key === '(root)' || seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + weight);
    }
  }
  const count = options.top ?? 20;
  return {
    totalMs: Math.round(totalUs / 1000),
    windowed,
    self: top(self, totalUs, count),
    inclusive: top(inclusive, totalUs, count),
    packages: top(packages, totalUs, count),
  };
}

export function printProfileSummary(
  summary: ProfileSummary,
  window = 'the window',
  log: (line: string) => void = console.log,
): void {
  const section = (title: string, rows: ProfileSummary['self']) => {
    log(title);
    for (const row of rows)
      log(`  ${row.pct.toFixed(1).padStart(5)}%  ${String(row.ms.toFixed(0)).padStart(7)} ms  ${row.name}`);
  };
  log(`CPU profile: ${summary.totalMs} ms of samples${summary.windowed ? ` during ${window}` : ' (whole process)'}`);
  section('Self time by package:', summary.packages);
  section('Top self time (function, file:line):', summary.self);
  section('Top inclusive time:', summary.inclusive);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist-bench/scripts/bench/profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  printProfileSummary(summariseProfile(file, { top: count ? Number(count) : 20 }));
}
