import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  for (const service of globalThis.__nectrServices ?? []) await service.stop().catch(() => undefined);
  if (process.env.NECTR_TEST_ROOT) rmSync(process.env.NECTR_TEST_ROOT, { recursive: true, force: true });
}
