// Writes test/support/github-openapi.json: the part of GitHub's published REST description that the
// fake GitHub serves (the paths below, and every component they reference), for
// test/support/github-contract.ts. The whole description ships in @octokit/openapi, 385 MB installed
// with every GitHub Enterprise variant, so it is not a dependency. To refresh the file:
//
//   npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz package/generated/api.github.com.json
//   npm run github:openapi -- package/generated/api.github.com.json
//
// A request to a path left out here is reported by the contract as undocumented: add its prefix.
import { readFileSync, writeFileSync } from 'node:fs';

const KEPT = [
  /^\/repos\/\{owner\}\/\{repo\}$/,
  /^\/repos\/\{owner\}\/\{repo\}\/(pulls|hooks|statuses|commits|contents|compare|issues)(\/|$)/,
  /^\/user$/,
  /^\/rate_limit$/,
];

interface OpenApi {
  openapi: string;
  info: unknown;
  paths: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
}

const source = process.argv[2];
if (!source) throw new Error('Usage: npm run github:openapi -- <path to api.github.com.json>');
const full = JSON.parse(readFileSync(source, 'utf8')) as OpenApi;
const paths = Object.fromEntries(Object.entries(full.paths).filter(([path]) => KEPT.some((kept) => kept.test(path))));

// Every component reachable from the kept paths, under its own name (`#/components/<kind>/<name>`).
// A media type's `examples` are documentation only: dropped, with the components they name.
const components: Record<string, Record<string, unknown>> = {};
const pending: unknown[] = [paths];
const seen = new Set<string>();
while (pending.length > 0) {
  const value = pending.pop();
  if (Array.isArray(value)) pending.push(...(value as unknown[]));
  else if (value && typeof value === 'object') {
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && !seen.has(ref)) {
      seen.add(ref);
      const [, , kind, name] = ref.split('/');
      const target = full.components[kind][name];
      (components[kind] ??= {})[name] = target;
      pending.push(target);
    }
    if ('schema' in value) delete (value as { examples?: unknown }).examples;
    pending.push(...(Object.values(value) as unknown[]));
  }
}

const out = new URL('../../test/support/github-openapi.json', import.meta.url);
writeFileSync(out, `${JSON.stringify({ openapi: full.openapi, info: full.info, paths, components })}\n`);
console.log(`wrote ${out.pathname}: ${Object.keys(paths).length} paths, ${seen.size} components`);
