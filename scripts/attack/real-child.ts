// `npm run attack`'s real deliveries, from their own process so the attackers' busy event loop does
// not delay them: a signed push every 250 ms for REAL_SECONDS, then one JSON line with the outcome.
import { realTraffic } from './clients.js';

const env = process.env;
const result = await realTraffic(
  Number(env.REAL_PORT),
  Number(env.REAL_HOOK_ID),
  env.REAL_SECRET!,
  Date.now() + Number(env.REAL_SECONDS) * 1000,
);
console.log(`REAL ${JSON.stringify(result)}`);
