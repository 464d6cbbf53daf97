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
 * Not while the tab is hidden (another tab in front, a minimised window): each open tab counts
 * against the API's rate limit per client, and nobody reads a hidden one. Shown again, it runs at
 * once.
 */
export function usePolling(task: (current: () => boolean) => void | Promise<void>, ms: number, deps: unknown[]): void {
  const latest = useRef(task);
  latest.current = task;
  useEffect(() => {
    let stopped = false;
    let running = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hidden = () => document.visibilityState === 'hidden';
    const run = async () => {
      timer = undefined;
      if (hidden()) return; // `shown` starts it again
      running = true;
      try {
        // `current` turns false once deps change: an answer to the old ones must not land after the new.
        await latest.current(() => !stopped);
      } finally {
        running = false;
        if (!stopped && !hidden()) timer = setTimeout(() => void run(), ms);
      }
    };
    const shown = () => {
      if (hidden()) {
        clearTimeout(timer);
        timer = undefined;
      } else if (!running) {
        // At once, rather than up to `ms` later: what the tab shows may be minutes old.
        clearTimeout(timer);
        void run();
      }
    };
    document.addEventListener('visibilitychange', shown);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, deps);
}

/** A form field's text ('' when absent; files are not expected here). */
export function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
