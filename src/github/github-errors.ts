/** The HTTP status of an octokit error, or 0 when GitHub could not be reached at all. */
export function githubStatus(error: unknown): number {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  // octokit reports a failed fetch (refused, reset, timed out) as a 500 without a response.
  if (!response) return 0;
  return typeof status === 'number' && status >= 100 ? status : 0;
}

/** GitHub's own message (and validation errors) from an octokit error, for users to act on. */
export function githubMessage(error: unknown): string {
  const response = (error as { response?: { data?: { message?: string; errors?: unknown[] } } } | null)?.response;
  const base = response?.data?.message ?? (error instanceof Error ? error.message : String(error));
  const details = (response?.data?.errors ?? [])
    .map((e) => (typeof e === 'string' ? e : ((e as { message?: string }).message ?? (e as { code?: string }).code)))
    .filter(Boolean);
  return details.length ? `${base}: ${details.join('; ')}` : base;
}
