import { useState } from 'preact/hooks';
import { api, ApiError, repoPath, type Installation, type RepoStats } from '../api.js';
import { errorText, usePolling, when } from '../util.js';
import { Confirm } from './confirm.js';
import { ConnectForm } from './connect-form.js';
import { ErrorAlert } from './error-alert.js';

type Pending = { repo: string; kind: 'disconnect' | 'rotate' };

export function RepositoriesPage() {
  const [repos, setRepos] = useState<Installation[] | null>(null);
  const [stats, setStats] = useState<RepoStats[]>([]);
  const [error, setError] = useState('');
  // An action's failure stays until the next action; the refresh every 10 s clears only its own.
  const [actionError, setActionError] = useState('');
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [configs, setConfigs] = useState<Record<string, string>>({});

  // The repositories and their event counts separately: counts that fail (a slow or broken stats
  // query) must not hide the repositories and their actions.
  const load = async () => {
    const [list, counts] = await Promise.allSettled([
      api<Installation[]>('/api/v1/repos'),
      api<RepoStats[]>('/api/v1/stats/repos'),
    ]);
    if (list.status === 'fulfilled') setRepos(list.value);
    if (counts.status === 'fulfilled') setStats(counts.value);
    const failed = [list, counts].find((result) => result.status === 'rejected');
    setError(failed ? errorText(failed.reason) : '');
  };
  usePolling(load, 10_000, []);

  const act = async ({ repo, kind }: Pending) => {
    setPending(null);
    setNotice('');
    setActionError('');
    try {
      if (kind === 'disconnect') await api(`/api/v1/repos/${repoPath(repo)}/install`, { method: 'DELETE' });
      else await api(`/api/v1/repos/${repoPath(repo)}/install/rotate-secret`, { method: 'POST' });
      setNotice(kind === 'disconnect' ? `${repo} disconnected.` : `${repo}: new secret set on GitHub.`);
      await load();
    } catch (failure) {
      setActionError(errorText(failure));
    }
  };

  const showConfig = async (repo: string) => {
    let text: string;
    try {
      text = JSON.stringify(await api<unknown>(`/api/v1/repos/${repoPath(repo)}/config`), null, 2);
    } catch (failure) {
      text =
        failure instanceof ApiError && failure.status === 404
          ? 'No configuration to show (this server has no configuration API, or the repository is not connected).'
          : errorText(failure);
    }
    // Added to the configurations shown by then, not to those when asked: another card's answer may
    // have come meanwhile.
    setConfigs((shown) => ({ ...shown, [repo]: text }));
  };

  const statsOf = (repo: string) => stats.find((s) => s.repo === repo.toLowerCase());
  const active = (repos ?? []).filter((r) => r.active);

  return (
    <section aria-labelledby="repos-title">
      <h1 id="repos-title">Repositories</h1>
      <ConnectForm onConnected={(repo) => void load().then(() => setNotice(`${repo} connected.`))} />
      {notice && <p role="status">{notice}</p>}
      <ErrorAlert message={actionError} />
      <ErrorAlert message={error} />
      {repos === null ? (
        // Until the first answer; after a failed one the alert above says why there is nothing.
        !error && <p class="muted">Loading…</p>
      ) : active.length === 0 ? (
        <p class="muted">No repository is connected yet.</p>
      ) : (
        <ul class="cards">
          {active.map((r) => {
            const s = statsOf(r.repo);
            return (
              <li class="card" key={r.repo} data-repo={r.repo}>
                <h2>{r.repo}</h2>
                <dl>
                  <dt>Events</dt>
                  <dd>{r.events.join(', ')}</dd>
                  <dt>Hook</dt>
                  <dd>{r.hook_verified_at ? `verified ${when(r.hook_verified_at)}` : 'not verified yet (no ping)'}</dd>
                  <dt>Last delivery</dt>
                  <dd>
                    {s ? (
                      <a href={`#/events/${s.last_event.id}`}>
                        {s.last_event.event_type}, {s.last_event.status}, {when(s.last_event.created_at)}
                      </a>
                    ) : (
                      'none yet'
                    )}
                  </dd>
                  <dt>By status</dt>
                  <dd>
                    {s
                      ? Object.entries(s.events_by_status)
                          .map(([status, n]) => `${status} ${n}`)
                          .join(' · ')
                      : '—'}
                  </dd>
                </dl>
                {/* Each button's name says its repository (the visible word starts it): every card has the
                    same three, and a screen reader's list of buttons shows them without their card. */}
                <div class="actions">
                  <button
                    type="button"
                    aria-label={`Configuration of ${r.repo}`}
                    onClick={() => void showConfig(r.repo)}
                  >
                    Configuration
                  </button>
                  <button
                    type="button"
                    aria-label={`Rotate secret of ${r.repo}`}
                    onClick={() => setPending({ repo: r.repo, kind: 'rotate' })}
                  >
                    Rotate secret
                  </button>
                  <button
                    type="button"
                    class="danger"
                    aria-label={`Disconnect ${r.repo}`}
                    onClick={() => setPending({ repo: r.repo, kind: 'disconnect' })}
                  >
                    Disconnect
                  </button>
                </div>
                {configs[r.repo] && <pre class="config">{configs[r.repo]}</pre>}
              </li>
            );
          })}
        </ul>
      )}
      {pending && (
        <Confirm
          question={
            pending.kind === 'disconnect'
              ? `Disconnect ${pending.repo}? Its hook is deleted on GitHub and its pull requests are no longer reviewed.`
              : `Rotate the webhook secret of ${pending.repo}? The old one keeps working for a grace period.`
          }
          action={pending.kind === 'disconnect' ? 'Disconnect' : 'Rotate secret'}
          onYes={() => void act(pending)}
          onNo={() => setPending(null)}
        />
      )}
    </section>
  );
}
