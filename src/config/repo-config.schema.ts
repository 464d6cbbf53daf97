// The schema of `.nectr.yml` (REVIEW.md §3), written once: the TypeScript types are inferred from
// it and nectr.schema.json (what editors validate against) is generated from it.
import { RE2JS } from 're2js';
import { z } from 'zod';
import { globProblem } from './glob.js';

export const CONFIG_FILE = '.nectr.yml';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const severity = z.enum(SEVERITIES);
export type ConfigSeverity = z.infer<typeof severity>;

/** Why a pattern is not usable by the linear-time engine custom rules run on, or undefined. */
export function patternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return `not a valid regular expression (RE2 syntax: no lookaround or backreferences): ${(error as Error).message}`;
  }
}

/** A refinement adding `problemOf(value)`, when there is one, as the value's issue. */
const reportProblem = (problemOf: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const problem = problemOf(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

const names = (what: string) => z.array(z.string().min(1).max(500)).max(200).describe(what);

/** Path globs (picomatch syntax), each one that can be matched in linear time (./glob.ts). */
const globs = (what: string) =>
  z
    .array(z.string().min(1).max(500).superRefine(reportProblem(globProblem)))
    .max(200)
    .describe(what);

const customRule = z
  .strictObject({
    id: z
      .string()
      .regex(/^[\w.-]+(?:\/[\w.-]+)*$/, 'must be letters, digits, ".", "-", "_" and "/"')
      .max(100)
      .describe('Rule id shown on the comment, e.g. team/no-moment'),
    pattern: z
      .string()
      .min(1)
      .max(1000)
      .superRefine(reportProblem(patternProblem))
      .describe('Regular expression (RE2 syntax) tested against each added line'),
    message: z.string().min(1).max(1000).describe('The comment posted on a matching line'),
    severity: severity.optional().describe('Severity of the finding (default medium)'),
    paths: globs('Globs of the files the rule applies to (default: every file)').optional(),
  })
  .describe('A regular expression applied to each added line');

/** What a `.nectr.yml` (or the operator's REPO_CONFIG_DEFAULTS file) may hold: every key optional. */
export const repoConfigFile = z
  .strictObject({
    enabled: z.boolean().optional().describe('false: this repository is not reviewed'),
    review: z
      .strictObject({
        drafts: z.boolean().optional().describe('Review draft pull requests too'),
        skip_authors: names('PR authors (login) never reviewed').optional(),
        skip_labels: names('A PR carrying any of these labels is not reviewed').optional(),
        max_files: z.int().min(1).max(3000).optional().describe('A larger PR gets a summary review only'),
      })
      .optional(),
    paths: z
      .strictObject({
        ignore: globs("Globs matched against each file's path; ignored files are never reviewed").optional(),
      })
      .optional(),
    rules: z
      .record(z.string().min(1).max(100), z.union([z.literal('off'), severity]))
      .optional()
      .describe('Builtin rule id -> off | info | low | medium | high | critical'),
    custom_rules: z.array(customRule).max(100).optional().describe('Regular expressions applied to each added line'),
    instructions: z
      .string()
      .max(10_000)
      .optional()
      .describe('Extra guidance sent to model engines; ignored by builtin'),
    status: z
      .strictObject({
        fail_on: z
          .union([severity, z.literal('never')])
          .optional()
          .describe('The commit status fails when an open finding is at or above this severity'),
      })
      .optional(),
  })
  .describe('Nectr review configuration (.nectr.yml at the root of the default branch)');

export type RepoConfigFile = z.infer<typeof repoConfigFile>;
export type CustomRule = z.infer<typeof customRule>;

/** The configuration a review runs with: every key set. */
export interface RepoConfig {
  enabled: boolean;
  review: { drafts: boolean; skip_authors: string[]; skip_labels: string[]; max_files: number };
  paths: { ignore: string[] };
  rules: Record<string, 'off' | ConfigSeverity>;
  custom_rules: CustomRule[];
  instructions: string;
  status: { fail_on: ConfigSeverity | 'never' };
}

export const DEFAULT_CONFIG: RepoConfig = {
  enabled: true,
  review: { drafts: false, skip_authors: [], skip_labels: [], max_files: 300 },
  paths: { ignore: [] },
  rules: {},
  custom_rules: [],
  instructions: '',
  status: { fail_on: 'high' },
};

/** nectr.schema.json's content. */
export function jsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(repoConfigFile, { io: 'input', target: 'draft-7' }), title: 'Nectr .nectr.yml' };
}
