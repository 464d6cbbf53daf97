/**
 * Background work on a timer, one pass at a time: a pass asked for while one runs gets that one's
 * result, and stop() waits for the pass in flight. Timers are unref'd so they never hold a process.
 */
export class PeriodicTask<T> {
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<T | undefined>;

  constructor(
    private readonly work: () => Promise<T>,
    private readonly onError: (error: Error) => void,
  ) {}

  start(everyMs: number, firstAfterMs?: number): void {
    this.timers.push(setInterval(() => void this.run(), everyMs).unref());
    if (firstAfterMs !== undefined) this.timers.push(setTimeout(() => void this.run(), firstAfterMs).unref());
  }

  /** Runs a pass now (or joins the one running); undefined when it failed. */
  run(): Promise<T | undefined> {
    this.running ??= this.work()
      .catch((error: Error) => {
        this.onError(error);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running;
  }
}
