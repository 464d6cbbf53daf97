// GitHub's naming rules, so bad input is a 400 here rather than a confusing answer from GitHub.

/** Users and organisations: alphanumerics and single inner hyphens, at most 39 characters. */
export const OWNER_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

/** Repositories: letters, digits, `.`, `-`, `_`, at most 100 characters, and not `.` or `..`. */
export const REPO_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** The events a repository webhook can subscribe to (GitHub's list), plus the `*` wildcard. */
export const GITHUB_WEBHOOK_EVENTS = [
  '*', 'branch_protection_configuration', 'branch_protection_rule', 'check_run', 'check_suite', 'code_scanning_alert',
  'commit_comment', 'create', 'custom_property_values', 'delete', 'dependabot_alert', 'deploy_key', 'deployment',
  'deployment_protection_rule', 'deployment_review', 'deployment_status', 'discussion', 'discussion_comment', 'fork',
  'gollum', 'issue_comment', 'issues', 'label', 'member', 'merge_group', 'meta', 'milestone', 'package', 'page_build',
  'project', 'project_card', 'project_column', 'public', 'pull_request', 'pull_request_review',
  'pull_request_review_comment', 'pull_request_review_thread', 'push', 'registry_package', 'release',
  'repository', 'repository_advisory', 'repository_dispatch', 'repository_import', 'repository_ruleset',
  'repository_vulnerability_alert', 'secret_scanning_alert', 'secret_scanning_alert_location',
  'secret_scanning_scan', 'security_and_analysis', 'star', 'status', 'sub_issues', 'team_add', 'watch',
  'workflow_dispatch', 'workflow_job', 'workflow_run',
] as const;

export const DEFAULT_EVENTS = ['pull_request', 'push'];
