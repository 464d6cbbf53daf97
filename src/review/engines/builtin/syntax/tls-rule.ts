// An ESLint rule of Nectr's own: neither core nor a well-kept plugin reports TLS verification
// switched off in Node (`rejectUnauthorized: false`, NODE_TLS_REJECT_UNAUTHORIZED set to 0).
import type { Rule } from 'eslint';
import type { Expression, Node, Pattern, PrivateIdentifier, Property } from 'estree';

const ENV_NAME = 'NODE_TLS_REJECT_UNAUTHORIZED';
const OPTIONS = new Set(['rejectUnauthorized', 'strictSSL']);

/** The static name of a property key or member (`a.b`, `a["b"]`, `` a[`b`] ``), if it has one. */
function staticName(node: Expression | PrivateIdentifier, computed: boolean): string | undefined {
  if (!computed && node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

const isFalsy = (node: Node): boolean =>
  node.type === 'Literal' && (node.value === false || node.value === 0 || node.value === '0');
const isZero = (node: Node): boolean =>
  (node.type === 'Literal' && (node.value === 0 || node.value === '0')) ||
  (node.type === 'TemplateLiteral' && node.expressions.length === 0 && node.quasis[0]?.value.cooked === '0');

export const tlsRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow switching TLS certificate verification off' },
    schema: [],
    messages: {
      option: '`{{name}}: false` disables TLS certificate verification.',
      env: `Setting ${ENV_NAME} to 0 disables TLS certificate verification for the whole process.`,
    },
  },
  create(context) {
    const checkEnv = (target: Pattern | Expression, value: Node, node: Node): void => {
      if (target.type !== 'MemberExpression' || target.object.type === 'Super') return;
      if (staticName(target.property, target.computed) === ENV_NAME && isZero(value))
        context.report({ node, messageId: 'env' });
    };
    return {
      Property(node: Property) {
        const name = staticName(node.key, node.computed);
        if (name && OPTIONS.has(name) && isFalsy(node.value))
          context.report({ node, messageId: 'option', data: { name } });
        if (name === ENV_NAME && isZero(node.value)) context.report({ node, messageId: 'env' });
      },
      AssignmentExpression(node) {
        checkEnv(node.left, node.right, node);
      },
      CallExpression(node) {
        // Object.assign(process.env, {...}) is covered by Property; this is `Reflect.set`/`set(`.
        const [, key, value] = node.arguments;
        if (key?.type === 'Literal' && key.value === ENV_NAME && value && isZero(value))
          context.report({ node, messageId: 'env' });
      },
    };
  },
};
