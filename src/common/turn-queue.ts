/**
 * Runs queued work one item per turn of the event loop, first in first out: between two items
 * node polls for I/O and runs due timers, so a burst of CPU-heavy work does not hold back a result
 * that arrived meanwhile. Each item runs from setImmediate, after that turn's I/O callbacks.
 */
export class TurnQueue {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  push(work: () => void): void {
    this.waiting.push(work);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.run);
  }

  /** Resolves on this item's turn. */
  next(): Promise<void> {
    return new Promise((resolve) => this.push(resolve));
  }

  private readonly run = (): void => {
    const work = this.waiting.shift()!;
    // Scheduled before the work runs, so an item that throws does not stall the rest.
    if (this.waiting.length > 0) setImmediate(this.run);
    else this.scheduled = false;
    work();
  };
}
