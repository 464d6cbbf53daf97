// `/nectr` commands in pull-request comments (REVIEW.md §4): which comments are commands, and who
// may give them. Pure, so intake decides on a delivery without any lookup.
import { codeSpan } from '../common/markdown.js';

export const COMMANDS = {
  review: 'review the whole pull request at its current head now (findings already posted are not repeated)',
  pause: 'stop automatic reviews of this pull request',
  resume: 'restart automatic reviews of this pull request',
  help: 'list these commands',
} as const;

export type CommandName = keyof typeof COMMANDS;

const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
/** `/nectr`, then the command's word; whatever follows it on the line (`please`, a reason) is not read. */
const COMMAND = /^\s*\/nectr(?=\s|$)\s*(\S*)/i;

/** The command a comment's first line gives (`unknown` for `/nectr <anything else>`), or null. */
export function commandOf(body: string): CommandName | 'unknown' | null {
  const first = body.split(/\r?\n/, 1)[0];
  const match = COMMAND.exec(first);
  if (!match) return null;
  const name = (match[1] || 'help').toLowerCase();
  return Object.hasOwn(COMMANDS, name) ? (name as CommandName) : 'unknown';
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The pull request number an issue_comment payload is about, or null when it is a plain issue. */
export function commentedPullRequest(body: Record<string, unknown>): number | null {
  const issue = record(body.issue);
  const number = issue?.number;
  if (!record(issue?.pull_request) || !Number.isSafeInteger(number)) return null;
  return (number as number) > 0 && (number as number) < 2 ** 31 ? (number as number) : null;
}

/**
 * Whether an issue_comment delivery is a command Nectr takes: a new comment on a pull request,
 * whose first line starts with `/nectr`, from an owner, member or collaborator who is not a bot
 * (Nectr's own comments, and other apps', never start a loop).
 */
export function isTakenCommand(event: string, body: Record<string, unknown>): boolean {
  if (event !== 'issue_comment' || body.action !== 'created' || commentedPullRequest(body) === null) return false;
  const comment = record(body.comment);
  const user = record(comment?.user);
  if (typeof comment?.body !== 'string' || commandOf(comment.body) === null) return false;
  if (typeof comment.author_association !== 'string' || !TRUSTED.has(comment.author_association)) return false;
  const login = typeof user?.login === 'string' ? user.login : '';
  return user?.type !== 'Bot' && !login.toLowerCase().endsWith('[bot]');
}

/** The reply to `/nectr help` (never itself starting with `/nectr`). */
export function helpText(unknown?: string): string {
  const lines = Object.entries(COMMANDS).map(([name, what]) => `- \`/nectr ${name}\`: ${what}`);
  const intro = unknown ? `Nectr does not know ${codeSpan(unknown)}. ` : '';
  return `${intro}Nectr takes these commands, as the first line of a comment, from the repository's owners, members and collaborators:\n\n${lines.join('\n')}`;
}
