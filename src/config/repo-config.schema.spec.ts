import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { jsonSchema } from './repo-config.schema.js';

describe('nectr.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `npm run schema` after changing it)', () => {
    const published: unknown = JSON.parse(readFileSync(new URL('../../nectr.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(jsonSchema());
  });
});
