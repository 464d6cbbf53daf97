/**
 * A count of bytes held at once, shared by every request that draws on it: a reservation either
 * fits whole or is refused, so a burst can never hold more than the budget, and each byte taken is
 * given back exactly once by the holder's release().
 */
export class InflightBudget {
  private used = 0;
  private peak = 0;

  /** `onDrained(peak)`: nothing is held any more; `peak` is the most held since it last drained. */
  constructor(
    readonly limit: number,
    private readonly onDrained?: (peak: number) => void,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /**
   * A holder that can grow its reservation; null when `bytes` does not fit now, or would take the
   * total past `ceiling` (a lower ceiling for large reservations keeps room for small ones).
   */
  reserve(bytes: number, ceiling = this.limit): BudgetHold | null {
    if (this.used + bytes > Math.min(ceiling, this.limit)) return null;
    this.adjust(bytes);
    return new BudgetHold(this, bytes);
  }

  /** @internal */
  adjust(delta: number): boolean {
    if (delta > 0 && this.used + delta > this.limit) return false;
    this.used += delta;
    this.peak = Math.max(this.peak, this.used);
    if (this.used === 0 && this.peak > 0) {
      const peak = this.peak;
      this.peak = 0;
      this.onDrained?.(peak);
    }
    return true;
  }
}

export class BudgetHold {
  private released = false;

  constructor(
    private readonly budget: InflightBudget,
    private held: number,
  ) {}

  /** Takes `bytes` more; false (and nothing taken) when the budget is spent. */
  grow(bytes: number): boolean {
    if (this.released || !this.budget.adjust(bytes)) return false;
    this.held += bytes;
    return true;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.adjust(-this.held);
    this.held = 0;
  }
}
