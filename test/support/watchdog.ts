import { runInNewContext } from 'node:vm';

/**
 * Runs `fn`, and fails it if it is still running after `ms`: a guard against a synchronous hang
 * (a backtracking regular expression), which Jest's own timeout cannot interrupt. Give it room for
 * a slow machine: it is not a measurement.
 */
export function watchdog<T>(ms: number, fn: () => T): T {
  return runInNewContext('run()', { run: fn }, { timeout: ms }) as T;
}
