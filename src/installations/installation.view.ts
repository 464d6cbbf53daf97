import { ApiProperty } from '@nestjs/swagger';
import type { Installation } from './installation.entity.js';

/** What the API shows of an installation: never a secret, plain or encrypted. */
export class InstallationView {
  @ApiProperty({ example: 'octo-org/hello' })
  repo: string;

  @ApiProperty({ type: Number, nullable: true, description: "GitHub's repository id" })
  repository_id: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'The repository hook Nectr created on GitHub' })
  hook_id: number | null;

  @ApiProperty({ type: [String], example: ['pull_request', 'push'] })
  events: string[];

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "When GitHub's ping reached Nectr" })
  hook_verified_at: string | null;

  @ApiProperty({ format: 'date-time' })
  installed_at: string;
}

export class RotatedInstallationView extends InstallationView {
  @ApiProperty({ format: 'date-time' })
  rotated_at: string;

  @ApiProperty({
    format: 'date-time',
    description: 'Until then, deliveries signed with the previous secret still verify',
  })
  previous_secret_valid_until: string;
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
