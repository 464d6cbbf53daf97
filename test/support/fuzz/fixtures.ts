// What the fuzz run works against: the webhook route, the body limit, the repositories and their installations.

export const WEBHOOK_PATH = '/api/v1/webhooks/github';
export const LIMIT_25MB = 25 * 1024 * 1024;

export const OTHER_REPO = { fullName: 'fuzz-org/other', id: 777000111 };
export const PLAYGROUND = { fullName: 'fuzz-org/playground', id: 777000222 };
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Install {
  fullName: string;
  id: number;
  hookId: number;
  secret: string;
}

export interface Ctx {
  main: Install;
  other: Install;
  installs: Install[];
}
