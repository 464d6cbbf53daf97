// secretlint's profiler, off. @secretlint/profiler 12 is always on: for every lintSource call,
// @secretlint/core puts a start and an end mark per rule into the process's performance timeline,
// and the profiler's observer keeps every mark and scans all of them on each end mark. In a worker
// that runs for weeks that is memory that is never freed and a scan that grows with every file ever
// reviewed (docs/review-quality.md has the measurements). Upstream made it switchable
// (secretlint#1673: `setEnabled(false)`, in 13.x, which needs Node 22); where that is missing, its
// `mark` becomes a no-op, which is what `setEnabled(false)` does.
import { secretLintProfiler } from '@secretlint/profiler';

type Switchable = { setEnabled?: (enabled: boolean) => void };

export function disableSecretlintProfiler(): void {
  const profiler = secretLintProfiler as typeof secretLintProfiler & Switchable;
  if (typeof profiler.setEnabled === 'function') profiler.setEnabled(false);
  else profiler.mark = () => undefined;
}
