import { ApiProperty } from '@nestjs/swagger';
import type { ConfigProblem } from '../config/repo-config.parser.js';
import type { LoadedConfig } from './repo-config.service.js';
import { CONFIG_FILE } from '../config/repo-config.schema.js';

export class ConfigProblemView {
  @ApiProperty({ example: 'review.max_files', description: 'Dotted key; empty for the file as a whole' })
  key: string;

  @ApiProperty({ type: Number, nullable: true, example: 4 })
  line: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 14 })
  column: number | null;

  @ApiProperty({ example: 'Invalid input: expected int, received string' })
  message: string;
}

export class RepoConfigView {
  @ApiProperty({ example: 'octo-org/hello' })
  repo: string;

  @ApiProperty({ example: CONFIG_FILE })
  file: string;

  @ApiProperty({ description: "Whether the repository's default branch has the file" })
  present: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The effective configuration a review of this repository runs with (REVIEW.md §3)',
    example: {
      enabled: true,
      review: { drafts: false, skip_authors: [], skip_labels: [], max_files: 300 },
      paths: { ignore: ['docs/**'] },
      rules: { 'debug/console-log': 'off' },
      custom_rules: [],
      instructions: '',
      status: { fail_on: 'high' },
    },
  })
  config: LoadedConfig['config'];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['default', 'operator', 'repository'] },
    description: 'Where each value came from, by dotted key',
    example: { enabled: 'default', 'paths.ignore': 'repository', 'rules.debug/console-log': 'repository' },
  })
  sources: LoadedConfig['sources'];

  @ApiProperty({
    type: String,
    nullable: true,
    description: "Why the repository's file is not applied (the line a review opens with), null when it is",
  })
  error: string | null;

  @ApiProperty({ type: [ConfigProblemView] })
  problems: ConfigProblemView[];
}

export function toConfigView(repo: string, loaded: LoadedConfig): RepoConfigView {
  return {
    repo,
    file: CONFIG_FILE,
    present: loaded.present,
    config: loaded.config,
    sources: loaded.sources,
    error: loaded.notice ?? null,
    problems: loaded.problems.map((p: ConfigProblem) => ({
      key: p.key,
      line: p.line ?? null,
      column: p.column ?? null,
      message: p.message,
    })),
  };
}
