// The webhook suites again with WEBHOOK_FAST_PATH=off, so Nest's router, not the listener derived
// from WebhooksController, serves the route: every assertion must hold the same either way.
process.env.WEBHOOK_FAST_PATH = 'off';
await import('./webhooks.e2e-spec.js');
await import('./intake.e2e-spec.js');
await import('./metrics.e2e-spec.js');
