import { useState } from 'preact/hooks';
import { api, repoPath } from '../api.js';
import { errorText, field } from '../util.js';
import { ErrorAlert } from './error-alert.js';

const EVENTS = ['pull_request', 'push', 'issue_comment'];

export function ConnectForm({ onConnected }: { onConnected: (repo: string) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const repo = field(data, 'repo').trim();
    const events = data.getAll('events').map(String);
    // The name becomes two segments of the API's path: a pasted URL or a third part would reach
    // another route ("Cannot POST …"), and `.`/`..` would be resolved away by the browser.
    const parts = repo.split('/');
    if (parts.length !== 2 || parts.some((part) => part === '' || part === '.' || part === '..')) {
      setError('Type the repository as owner/repo, for example octo-org/hello (not its URL)');
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api(`/api/v1/repos/${repoPath(repo)}/install`, { method: 'POST', body: { events } });
      form.reset();
      onConnected(repo);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="connect" onSubmit={(e) => void submit(e)} aria-labelledby="connect-title">
      <h2 id="connect-title">Connect a repository</h2>
      <label for="connect-repo">Repository (owner/repo)</label>
      <input id="connect-repo" name="repo" required pattern=".+/.+" placeholder="octo-org/hello" />
      <fieldset>
        <legend>Events</legend>
        {EVENTS.map((name) => (
          <label class="check" key={name}>
            <input type="checkbox" name="events" value={name} defaultChecked={name !== 'issue_comment'} /> {name}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        Connect
      </button>
      <ErrorAlert message={error} />
    </form>
  );
}
