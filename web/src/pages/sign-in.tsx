import { useState } from 'preact/hooks';
import { signIn } from '../api.js';
import { errorText } from '../util.js';
import { ErrorAlert } from './error-alert.js';

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('token') as HTMLInputElement;
    setBusy(true);
    setError('');
    try {
      await signIn(input.value);
      input.value = '';
      onSignedIn();
    } catch (failure) {
      setError(errorText(failure));
      input.select();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Nectr</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorAlert message={error} />
      </form>
    </main>
  );
}
