/**
 * Asks V8 for a full collection once a burst of large request bodies is over. Their Buffers live
 * outside the JS heap, which stays small, so an idle process would keep them, and its RSS, until a
 * collection that may be hours away (`npm run attack`; figures in docs/performance.md). Needs node's
 * `--expose-gc`, which `start:prod` passes; without it this does nothing.
 */
export class GarbageCollectionHint {
  private pending?: NodeJS.Timeout;

  constructor(
    private readonly delayMs = 1000,
    private readonly gc: ((options: NodeJS.GCOptions) => unknown) | undefined = globalThis.gc,
  ) {}

  /** One collection `delayMs` from now (incremental, off the request path); calls meanwhile join it. */
  soon(): void {
    const gc = this.gc;
    if (!gc || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void gc({ type: 'major', execution: 'async' });
    }, this.delayMs).unref();
  }
}
