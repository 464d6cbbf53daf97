// Writes nectr.schema.json (the JSON Schema editors validate `.nectr.yml` with) from the zod schema
// in src/config/repo-config.schema.ts. `npm run schema`; a unit test fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { jsonSchema } from '../src/config/repo-config.schema.js';

const SCHEMA_FILE = new URL('../../nectr.schema.json', import.meta.url);

writeFileSync(SCHEMA_FILE, `${JSON.stringify(jsonSchema(), null, 2)}\n`);
console.log(`wrote ${SCHEMA_FILE.pathname}`);
