// GitHub's published REST contract (@octokit/openapi's api.github.com, the part the fake serves:
// github-openapi.json, written by scripts/write-github-openapi.ts), held against the fake
// GitHub: each request Nectr sends must name a documented operation, with documented query
// parameters and a body its request schema accepts (no undocumented field), and each answer the
// fake gives must be documented for that operation's status and match its response schema.
// GraphQL requests are checked against GitHub's published GraphQL schema (@octokit/graphql-schema):
// the document must validate and the variables must fit their declared types; the fake's answer
// must be what the schema gives for that document.
import { createRequire } from 'node:module';
import { schema as graphqlSchema } from '@octokit/graphql-schema';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  buildSchema,
  executeSync,
  getVariableValues,
  Kind,
  parse,
  validate as validateGraphql,
  type GraphQLSchema,
} from 'graphql';

const require = createRequire(import.meta.url);

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

/** GitHub's documented limits that the schemas leave to prose (docs.github.com). */
const DOCUMENTED_LIMITS: Record<string, (body: Record<string, unknown>) => string | undefined> = {
  // "description: A short description of the status" – GitHub answers 422 above 140 characters.
  'repos/create-commit-status': (body) =>
    typeof body.description === 'string' && [...body.description].length > 140
      ? `description is ${[...body.description].length} characters (GitHub's maximum is 140)`
      : undefined,
  // A review's body, and each comment's, is at most 65536 characters.
  'pulls/create-review': (body) => {
    const texts = [body.body, ...((body.comments as Array<{ body?: unknown }> | undefined) ?? []).map((c) => c.body)];
    const long = texts.find((text) => typeof text === 'string' && text.length > 65_536) as string | undefined;
    return long ? `a body of ${long.length} characters (GitHub's maximum is 65536)` : undefined;
  },
};

let loaded: GitHubContract | undefined;

export class GitHubContract {
  private readonly spec: OpenApi;
  private readonly ajv: Ajv;
  private readonly routes: Array<{ template: string; pattern: RegExp; methods: Record<string, Operation> }>;
  private readonly compiled = new Map<string, ValidateFunction>();
  private graphqlSchema?: GraphQLSchema;

  /** One per process. */
  static load(): GitHubContract {
    return (loaded ??= new GitHubContract(require('./github-openapi.json') as OpenApi));
  }

  private constructor(spec: OpenApi) {
    this.spec = spec;
    // OpenAPI 3.0's `nullable` is Ajv's own keyword; `example`, `x-github` and the like are not validated.
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    (addFormatsModule as unknown as (ajv: Ajv) => void)(this.ajv);
    this.ajv.addSchema({ $id: 'github', components: forAjv(spec.components) });
    this.routes = Object.entries(spec.paths).map(([template, methods]) => ({
      template,
      pattern: new RegExp(
        `^${template.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_m, name: string) =>
          // `{path}` of the contents API and `{sha}` of the statuses API may hold slashes.
          name === 'path' || name === 'basehead' ? '(.+)' : '([^/]+)',
        )}$`,
      ),
      methods,
    }));
  }

  /** The documented operation for a method and path, or undefined. Literal paths win over templated ones. */
  operation(method: string, path: string): { template: string; op: Operation } | undefined {
    const matches = this.routes
      .filter((r) => r.pattern.test(path) && r.methods[method.toLowerCase()])
      .sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
    const [best] = matches;
    return best ? { template: best.template, op: best.methods[method.toLowerCase()] } : undefined;
  }

  /** What is wrong with a request, as GitHub's contract reads it (empty when nothing is). */
  checkRequest(method: string, path: string, query: URLSearchParams, body: unknown, raw: string): string[] {
    if (method === 'POST' && path === '/graphql') return this.checkGraphql(body);
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: no such operation in GitHub's REST API`];
    const { template, op } = found;
    const where = `${method} ${template} (${op.operationId})`;
    const problems: string[] = [];
    const params = (op.parameters ?? []).map((p) => this.resolve<Parameter>(p));
    for (const [name, value] of query) {
      const param = params.find((p) => p.in === 'query' && p.name === name);
      if (!param) {
        problems.push(`${where}: query parameter ${name} is not documented`);
        continue;
      }
      const validate = this.compile(`${op.operationId} query ${name}`, param.schema ?? {});
      const typed = param.schema?.type === 'integer' || param.schema?.type === 'number' ? Number(value) : value;
      if (!validate(typed)) problems.push(`${where}: query ${name}=${value}: ${this.ajv.errorsText(validate.errors)}`);
    }
    for (const param of params.filter((p) => p.in === 'query' && p.required))
      if (!query.has(param.name)) problems.push(`${where}: required query parameter ${param.name} missing`);
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (raw && !schema) problems.push(`${where}: sent a body, the operation takes none`);
    if (schema && raw) {
      const validate = this.compile(`${op.operationId} request`, closed(schema));
      if (!validate(body))
        problems.push(`${where}: request body: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
      const limit = DOCUMENTED_LIMITS[op.operationId]?.(body as Record<string, unknown>);
      if (limit) problems.push(`${where}: ${limit}`);
    }
    return problems;
  }

  /**
   * The fake's answer with what GitHub always sends and the fake left out: each required property
   * it lacks, as null where GitHub may send null, else a value of the documented shape (the
   * schema's example where it has one). What the fake set is kept as it is, to be checked.
   */
  complete(method: string, path: string, status: number, body: unknown): unknown {
    const found = this.operation(method, path);
    const documented = found?.op.responses[String(status)];
    if (!documented || body === undefined) return body;
    const response = this.resolve<{ content?: Record<string, { schema?: Schema }> }>(documented);
    const schema = response.content?.['application/json']?.schema;
    return schema ? this.fill(schema, body, 0) : body;
  }

  private fill(schema: Schema, value: unknown, depth: number): unknown {
    schema = this.resolve<Schema>(schema);
    if (depth > 12) return value;
    if (Array.isArray(value)) return value.map((item) => this.fill((schema.items as Schema) ?? {}, item, depth + 1));
    if (typeof value !== 'object' || value === null) return value;
    const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
    if (branches) {
      // The first branch the value fits once completed (a file, not a directory, for the contents API).
      for (const branch of branches) {
        const filled = this.fill(branch, value, depth + 1);
        if (this.compileBranch(branch)(filled)) return filled;
      }
      return value;
    }
    const { properties, required } = this.merged(schema);
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [key, inner] of Object.entries(out))
      if (properties[key] && inner !== null) out[key] = this.fill(properties[key], inner, depth + 1);
    for (const key of required)
      if (!(key in out) && properties[key]) out[key] = this.invent(properties[key], depth + 1);
    return out;
  }

  /** A value of the schema's shape, as GitHub could send it (null when it may be null). */
  private invent(schema: Schema, depth: number): unknown {
    schema = this.resolve<Schema>(schema);
    if (schema.nullable === true) return null;
    const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
    if (branches?.length) return this.invent(branches[0], depth);
    if (schema.example !== undefined) return schema.example;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    const { properties, required } = this.merged(schema);
    switch (schema.type ?? (Object.keys(properties).length ? 'object' : undefined)) {
      case 'object': {
        const out: Record<string, unknown> = {};
        if (depth < 12)
          for (const key of required) if (properties[key]) out[key] = this.invent(properties[key], depth + 1);
        return out;
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return false;
      case 'string':
        return schema.format === 'date-time'
          ? '2011-01-26T19:01:12Z'
          : schema.format === 'uri'
            ? 'https://api.github.com/'
            : schema.format === 'email'
              ? 'octocat@github.com'
              : '';
      default:
        return null;
    }
  }

  /** Properties and required names of a schema and its allOf parts. */
  private merged(schema: Schema): { properties: Record<string, Schema>; required: string[] } {
    const parts = [schema, ...((schema.allOf as Schema[] | undefined) ?? []).map((s) => this.resolve<Schema>(s))];
    return {
      properties: Object.assign({}, ...parts.map((p) => (p.properties as Record<string, Schema>) ?? {})) as Record<
        string,
        Schema
      >,
      required: parts.flatMap((p) => (p.required as string[] | undefined) ?? []),
    };
  }

  /** What GitHub's GraphQL schema finds wrong with a query document and its variables. */
  private checkGraphql(body: unknown): string[] {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    if (typeof query !== 'string') return ['POST /graphql: no query'];
    // GitHub's published SDL defines two fields twice; the schema is otherwise sound.
    this.graphqlSchema ??= buildSchema(graphqlSchema.idl, { assumeValidSDL: true });
    let document;
    try {
      document = parse(query);
    } catch (error) {
      return [`POST /graphql: ${(error as Error).message}`];
    }
    const problems = validateGraphql(this.graphqlSchema, document).map((e) => `POST /graphql: ${e.message}`);
    for (const definition of document.definitions)
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        const { errors } = getVariableValues(this.graphqlSchema, definition.variableDefinitions ?? [], variables ?? {});
        for (const error of errors ?? []) problems.push(`POST /graphql: ${error.message}`);
      }
    return problems;
  }

  /**
   * What GitHub's GraphQL schema finds wrong with the fake's answer to a query: the query is run
   * against the schema with the answer's `data` as its root, each field read by its response key
   * (an alias or its name), so a value of the wrong type, a null where the schema has none, or a
   * field missing or not asked for shows. An answer with `errors` is GitHub refusing: its `errors`
   * must be a list of messages.
   */
  private checkGraphqlAnswer(request: unknown, answer: unknown): string[] {
    const { query, variables } = (request ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const { data, errors } = (answer ?? {}) as { data?: unknown; errors?: unknown };
    if (typeof query !== 'string') return [];
    if (errors !== undefined)
      return Array.isArray(errors) && errors.every((e) => typeof (e as { message?: unknown })?.message === 'string')
        ? []
        : ['POST /graphql: an answer whose errors are not a list of messages'];
    this.graphqlSchema ??= buildSchema(graphqlSchema.idl, { assumeValidSDL: true });
    const result = executeSync({
      schema: this.graphqlSchema,
      document: parse(query),
      rootValue: data,
      variableValues: variables,
      fieldResolver: (source: unknown, _args, _context, info) =>
        (source as Record<string, unknown> | null)?.[info.path.key as string],
    });
    const problems = (result.errors ?? []).map((e) => `POST /graphql answer: ${e.message} (at ${e.path?.join('.')})`);
    const difference = result.errors ? undefined : firstDifference(JSON.parse(JSON.stringify(result.data)), data);
    if (difference) problems.push(`POST /graphql answer: not the shape the query asks for: ${difference}`);
    return problems;
  }

  /** What is wrong with an answer the fake gave (a JSON body, or none); `request` is the request's JSON body. */
  checkResponse(method: string, path: string, status: number, body: unknown, request?: unknown): string[] {
    if (method === 'POST' && path === '/graphql') return this.checkGraphqlAnswer(request, body);
    const found = this.operation(method, path);
    if (!found) return [];
    const { template, op } = found;
    const where = `${method} ${template} (${op.operationId})`;
    const documented = op.responses[String(status)];
    // Errors GitHub answers on any operation (and that octokit handles generically).
    if (!documented) return status >= 400 ? [] : [`${where}: answered ${status}, which is not documented`];
    const response = this.resolve<{ content?: Record<string, { schema?: Schema }> }>(documented);
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return body === undefined ? [] : [`${where}: ${status} carries no body on GitHub`];
    if (body === undefined) return [`${where}: ${status} has a body on GitHub; the fake sent none`];
    const validate = this.compile(`${op.operationId} ${status}`, schema);
    return validate(body)
      ? []
      : [`${where}: ${status} answer: ${this.ajv.errorsText(validate.errors, { dataVar: 'response' })}`];
  }

  private readonly branches = new WeakMap<Schema, ValidateFunction>();

  private compileBranch(branch: Schema): ValidateFunction {
    let validate = this.branches.get(branch);
    if (!validate) {
      validate = this.ajv.compile(forAjv(rebase(branch)));
      this.branches.set(branch, validate);
    }
    return validate;
  }

  private compile(key: string, schema: Schema): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(forAjv(rebase(schema)));
      this.compiled.set(key, validate);
    }
    return validate;
  }

  private resolve<T>(node: T | { $ref: string }): T {
    let ref = (node as { $ref?: string }).$ref;
    while (ref) {
      const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
      node = this.spec.components[kind][name] as T;
      ref = (node as { $ref?: string }).$ref;
    }
    return node as T;
  }
}

/** The schema with its `#/components/…` references pointed at the document added as `github`. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"github#/')) as Schema;
}

/**
 * A copy Ajv compiles: OpenAPI 3.0 puts `nullable` beside `allOf`/`anyOf` with no `type`, which Ajv
 * refuses; there it becomes "that, or null".
 */
function forAjv<T>(node: T): T {
  if (Array.isArray(node)) {
    const items: unknown[] = node.map((item: unknown) => forAjv(item));
    return items as T;
  }
  if (typeof node !== 'object' || node === null) return node;
  const copy: Schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, forAjv(value)]));
  if (copy.nullable === true && copy.type === undefined) {
    delete copy.nullable;
    return { anyOf: [copy, { type: 'null' }] } as T;
  }
  return copy as T;
}

/** A request schema that refuses properties it does not document (GitHub ignores or refuses them). */
function closed(schema: Schema): Schema {
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = Array.isArray(schema) ? ([...(schema as unknown[])] as unknown as Schema) : { ...schema };
  for (const [key, value] of Object.entries(copy))
    if (typeof value === 'object' && value !== null) copy[key] = closed(value as Schema);
  if (copy.type === 'object' && copy.properties && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}

/** Where `sent` differs from `expected` (what the query asks for), or undefined when it does not. */
function firstDifference(expected: unknown, sent: unknown, at = 'data'): string | undefined {
  if (expected !== null && sent !== null && typeof expected === 'object' && typeof sent === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(sent)]);
    for (const key of keys) {
      if (!(key in sent)) return `${at}.${key} is missing`;
      if (!(key in expected)) return `${at}.${key} was not asked for`;
      const found = firstDifference(
        (expected as Record<string, unknown>)[key],
        (sent as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) return found;
    }
    return undefined;
  }
  return expected === sent ? undefined : `${at} is ${JSON.stringify(sent)}, not ${JSON.stringify(expected)}`;
}
