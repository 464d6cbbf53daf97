import { useEffect, useRef } from 'preact/hooks';

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `task` now and again `ms` after each run ends, while the page is mounted (the page refreshes
 * by itself). One run at a time: a slow answer delays the next poll rather than piling up requests.
 */
export function usePolling(task: (current: () => boolean) => void | Promise<void>, ms: number, deps: unknown[]): void {
  const latest = useRef(task);
  latest.current = task;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        // `current` turns false once deps change: an answer to the old ones must not land after the new.
        await latest.current(() => !stopped);
      } finally {
        if (!stopped) timer = setTimeout(() => void run(), ms);
      }
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
}

/** A form field's text ('' when absent; files are not expected here). */
export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
