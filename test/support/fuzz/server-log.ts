// Keeps the app quiet while fuzz cases run, remembering the distinct errors it logged.
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

/**
 * Silences the app's console while cases run and keeps the distinct errors it logs (TypeORM's
 * failed queries, the exception filter's 500s), to explain failures without flooding the output.
 */
export function captureServerErrors(): { lines(): string[]; restore(): void } {
  const seen = new Map<string, number>();
  const note = (args: unknown[]) => {
    const text = args
      .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a)))
      .join(' ')
      .split('\n')[0]
      .slice(0, 160);
    seen.set(text, (seen.get(text) ?? 0) + 1);
  };
  const spies = [
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      if (/^error:/i.test(String(args[0]))) note(args);
    }),
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => note(args)),
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => note(args.slice(0, 1))),
  ];
  return {
    lines: () => [...seen].map(([text, n]) => `server logged ${n}×: ${text}`),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
