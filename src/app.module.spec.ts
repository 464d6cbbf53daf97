import { describe, expect, it } from '@jest/globals';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { AppModule } from './app.module.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { OutboxRelay } from './queue/outbox.relay.js';
import { ReviewProcessor } from './review/review.processor.js';

type ModuleLike = Type | DynamicModule | Promise<DynamicModule>;

/** Every controller and provider class the role's module tree declares, read from Nest's metadata. */
function contents(root: DynamicModule): { controllers: Set<unknown>; providers: Set<unknown> } {
  const controllers = new Set<unknown>();
  const providers = new Set<unknown>();
  const seen = new Set<unknown>();
  const visit = (entry: ModuleLike) => {
    if (entry instanceof Promise || seen.has(entry)) return;
    seen.add(entry);
    const dynamic = 'module' in entry ? entry : undefined;
    const type = dynamic ? dynamic.module : (entry as Type);
    const read = (key: string) => [
      ...((Reflect.getMetadata(key, type) as unknown[] | undefined) ?? []),
      ...(((dynamic as Record<string, unknown> | undefined)?.[key] as unknown[] | undefined) ?? []),
    ];
    for (const c of read(MODULE_METADATA.CONTROLLERS)) controllers.add(c);
    for (const p of read(MODULE_METADATA.PROVIDERS)) providers.add(p);
    for (const m of read(MODULE_METADATA.IMPORTS)) visit(m as ModuleLike);
  };
  visit(root);
  return { controllers, providers };
}

describe('AppModule.forRole', () => {
  it('an api process has no review processor and no outbox relay', () => {
    const { providers, controllers } = contents(AppModule.forRole('api'));
    expect(providers.has(ReviewProcessor)).toBe(false);
    expect(providers.has(OutboxRelay)).toBe(false);
    expect(controllers.size).toBeGreaterThan(2);
  });

  it('a worker has the processor and the relay, and no controller but /health and /metrics', () => {
    const { providers, controllers } = contents(AppModule.forRole('worker'));
    expect(providers.has(ReviewProcessor)).toBe(true);
    expect(providers.has(OutboxRelay)).toBe(true);
    expect([...controllers]).toEqual(expect.arrayContaining([HealthController, MetricsController]));
    expect(controllers.size).toBe(2);
  });

  it('all has both', () => {
    const all = contents(AppModule.forRole('all'));
    const api = contents(AppModule.forRole('api'));
    expect(all.providers.has(ReviewProcessor)).toBe(true);
    expect(all.controllers).toEqual(api.controllers);
  });
});
