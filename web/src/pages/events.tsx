import { useEffect, useState } from 'preact/hooks';
import { api, STATUSES, type EventSummary, type Installation } from '../api.js';
import { go, rememberEventsList } from '../route.js';
import { errorText, field, usePolling, when } from '../util.js';
import { ErrorAlert } from './error-alert.js';

const PAGE_SIZE = 25;

export function EventsPage({ params }: { params: URLSearchParams }) {
  // The filters and the page live in the address (#/events?status=failed&offset=25): Back from an
  // event, and a reload, return to the same list.
  const repo = params.get('repo') ?? '';
  const status = params.get('status') ?? '';
  const type = params.get('type') ?? '';
  const offset = Math.max(0, Math.floor(Number(params.get('offset'))) || 0);
  // The rows with the query they answer: until the current query's answer, the page shows Loading…
  // rather than the last page's rows under the new range.
  const [loaded, setLoaded] = useState<{ key: string; list: EventSummary[] } | null>(null);
  const [repos, setRepos] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [reposError, setReposError] = useState('');

  // One row more than a page: the API's list says nothing of what lies past it, and that row is how
  // the page knows whether there is anything Older (an exactly full last page has nothing).
  const query = new URLSearchParams({ limit: String(PAGE_SIZE + 1), offset: String(offset) });
  for (const [key, value] of Object.entries({ repo, status, type })) if (value) query.set(key, value);
  const key = query.toString();
  const rows = loaded?.key === key ? loaded.list : null;
  const events = rows && rows.slice(0, PAGE_SIZE);
  const older = (rows?.length ?? 0) > PAGE_SIZE;
  const load = async (current: () => boolean) => {
    try {
      const list = await api<EventSummary[]>(`/api/v1/events?${key}`);
      if (!current()) return; // the filters or the page changed meanwhile
      setLoaded({ key, list });
      setError('');
    } catch (failure) {
      if (current()) setError(errorText(failure));
    }
  };
  // The repositories (the Repository filter's options) apart and less often: they seldom change, and
  // asking with every refresh of the list doubled the page's requests. When only they fail, the
  // events are still shown, beside the error.
  const loadRepos = async (current: () => boolean) => {
    try {
      const installs = await api<Installation[]>('/api/v1/repos');
      if (!current()) return;
      setRepos([...new Set(installs.map((i) => i.repo))]);
      setReposError('');
    } catch (failure) {
      if (current()) setReposError(errorText(failure));
    }
  };
  usePolling(loadRepos, 60_000, []);
  usePolling(load, 3_000, [key]);
  useEffect(() => rememberEventsList(location.hash || '#/events'), [key]);

  // Newer and Older are a new history entry each (Back returns to the page before); a filter's change
  // replaces the current one, back on the first page.
  const show = (page: { repo: string; status: string; type: string; offset?: number }) => go('events', page);
  const filter = (event: Event) => {
    const form = (event.currentTarget as HTMLElement).closest('form')!;
    const data = new FormData(form);
    const filters = { repo: field(data, 'repo'), status: field(data, 'status'), type: field(data, 'type').trim() };
    go('events', filters, { replace: true });
  };

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), filter(e))}>
        <label>
          Repository
          <select name="repo" value={repo} onChange={filter}>
            <option value="">All</option>
            {(repo && !repos.includes(repo) ? [repo, ...repos] : repos).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={filter}>
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Type
          {/* Keyed by the address's value: it follows Back and reload, and polling never resets what is being typed. */}
          <input key={type} name="type" defaultValue={type} placeholder="opened_pull_request" onChange={filter} />
        </label>
      </form>
      <ErrorAlert message={error || reposError} />
      {events === null ? (
        // Until the first answer; after a failed one the alert above says why there is nothing.
        !error && <p class="muted">Loading…</p>
      ) : events.length === 0 ? (
        <p class="muted">No events{offset ? ' on this page' : ''}.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Repository</th>
                <th scope="col">Type</th>
                <th scope="col">PR</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-event={e.id}>
                  <td>
                    <a href={`#/events/${e.id}`}>{when(e.created_at)}</a>
                  </td>
                  <td>{e.repo}</td>
                  <td>{e.event_type}</td>
                  <td>{e.pr_number ?? ''}</td>
                  <td>
                    <span class={`status ${e.status}`}>{e.status}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* aria-disabled, not disabled: a button disabled under the keyboard's focus (Older on reaching the
          last page, or while the next page loads) would drop the focus back to the start of the page. */}
      <nav class="pager" aria-label="Pages">
        <button
          type="button"
          aria-disabled={offset === 0}
          onClick={() => offset > 0 && show({ repo, status, type, offset: Math.max(0, offset - PAGE_SIZE) })}
        >
          Newer
        </button>
        <span class="muted">{events?.length ? `${offset + 1}–${offset + events.length}` : ''}</span>
        <button
          type="button"
          aria-disabled={!older}
          onClick={() => older && show({ repo, status, type, offset: offset + PAGE_SIZE })}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
