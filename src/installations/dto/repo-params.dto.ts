import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { OWNER_PATTERN, REPO_PATTERN } from '../github-names.js';

export class RepoParamsDto {
  @ApiProperty({ example: 'octo-org' })
  @Matches(OWNER_PATTERN, {
    message: 'owner must be a GitHub user or organisation name (letters, digits and single hyphens, at most 39)',
  })
  owner: string;

  @ApiProperty({ example: 'hello' })
  @Matches(REPO_PATTERN, {
    message: 'repo must be a GitHub repository name (letters, digits, ".", "-", "_", at most 100)',
  })
  repo: string;
}
