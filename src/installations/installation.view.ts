import type { Installation } from './installation.entity.js';

/** What the API shows of an installation: never a secret, plain or encrypted. */
export interface InstallationView {
  repo: string;
  repository_id: number | null;
  hook_id: number | null;
  events: string[];
  active: boolean;
  hook_verified_at: string | null;
  installed_at: string;
}

export function toView(installation: Installation): InstallationView {
  return {
    repo: installation.fullName,
    repository_id: installation.repositoryId,
    hook_id: installation.hookId,
    events: installation.events,
    active: installation.active,
    hook_verified_at: installation.hookVerifiedAt?.toISOString() ?? null,
    installed_at: installation.installedAt.toISOString(),
  };
}
