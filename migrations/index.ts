// Every migration, in order. Listed explicitly rather than globbed so the same list loads from
// TypeScript under jest and from dist/ in production.
export const migrations: Function[] = [];
