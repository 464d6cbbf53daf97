import { useEffect, useRef } from 'preact/hooks';

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `task` now and every `ms` while the page is mounted (the page refreshes by itself). */
export function usePolling(task: () => void | Promise<void>, ms: number, deps: unknown[]): void {
  const latest = useRef(task);
  latest.current = task;
  useEffect(() => {
    void latest.current();
    const timer = setInterval(() => void latest.current(), ms);
    return () => clearInterval(timer);
  }, deps);
}

/** A form field's text ('' when absent; files are not expected here). */
export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
