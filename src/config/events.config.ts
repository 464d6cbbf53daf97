import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env.js';

class EventsEnv {
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  DEDUPE_WINDOW_MINUTES: number = 60;

  @IsInt()
  @Min(1)
  @Max(3650)
  EVENT_RETENTION_DAYS: number = 30;

  /** How often the sweep re-queues pending events and reclaims stuck ones. */
  @IsInt()
  @Min(1)
  @Max(3600)
  SWEEP_INTERVAL_SECONDS: number = 30;

  /** A `processing` event untouched for this long is considered abandoned by a dead worker. */
  @IsInt()
  @Min(5)
  @Max(24 * 3600)
  STUCK_AFTER_SECONDS: number = 600;

  /** How often failed GitHub deliveries are looked for and redelivered; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  DELIVERY_RECOVERY_INTERVAL_MINUTES: number = 60;
}

export const eventsConfig = registerAs('events', () => {
  const env = validateEnv(EventsEnv);
  return {
    dedupeWindowMinutes: env.DEDUPE_WINDOW_MINUTES,
    retentionDays: env.EVENT_RETENTION_DAYS,
    sweepIntervalSeconds: env.SWEEP_INTERVAL_SECONDS,
    stuckAfterSeconds: env.STUCK_AFTER_SECONDS,
    recoveryIntervalMinutes: env.DELIVERY_RECOVERY_INTERVAL_MINUTES,
  };
});
