import { createRequire } from 'node:module';
import { ConfigError } from './validate-env.js';

/** What express's `trust proxy` setting takes: a hop count, or the proxies' addresses and subnets. */
export type TrustProxy = number | string[];

// proxy-addr is the parser express itself compiles `trust proxy` with (CommonJS, untyped): checking
// the value with it here turns a typo into the one-line boot error, not a stack trace at listen.
const { compile } = createRequire(import.meta.url)('proxy-addr') as { compile: (list: string[]) => unknown };

const HOPS = /^\d{1,2}$/;

/**
 * `TRUST_PROXY`: which peers may tell Nectr the client's address (`X-Forwarded-For`, read by the
 * rate limit) and scheme (`X-Forwarded-Proto`, which marks the session cookie Secure). A hop count
 * (`1`: the load balancer in front), or a comma-separated list of addresses, subnets (CIDR) and
 * proxy-addr's names `loopback`, `linklocal`, `uniquelocal`. `true` (every peer) is refused: any
 * client could then pick its own address and escape the rate limit.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim() || 'loopback';
  if (HOPS.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const refuse = (why: string) =>
    new ConfigError(
      `Invalid configuration: TRUST_PROXY ${why}; give a hop count (e.g. 1) or addresses and subnets (e.g. 10.0.0.0/8,loopback)`,
    );
  if (list.some((entry) => /^(true|false|\*)$/i.test(entry))) throw refuse(`cannot be "${value}"`);
  try {
    compile(list);
  } catch (error) {
    throw refuse(`is not a list of addresses: ${(error as Error).message}`);
  }
  return list;
}
