import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, signOut, whenSignedOut } from './api.js';
import { ErrorAlert } from './pages/error-alert.js';
import { EventPage } from './pages/event.js';
import { EventsPage } from './pages/events.js';
import { OverviewPage } from './pages/overview.js';
import { RepositoriesPage } from './pages/repositories.js';
import { SignIn } from './pages/sign-in.js';
import { useRoute } from './route.js';
import { errorText } from './util.js';

const PAGES = [
  ['repositories', 'Repositories'],
  ['events', 'Events'],
  ['overview', 'Overview'],
] as const;

const RECHECK_MS = 5_000;

export function App() {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [problem, setProblem] = useState('');
  const [signOutProblem, setSignOutProblem] = useState('');
  const route = useRoute();

  useEffect(() => {
    whenSignedOut(() => setSignedIn(false));
    // The page cannot show anything before it knows whether it is signed in: while the server
    // fails or cannot be reached, say so and ask again, so the page carries on once it answers.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () =>
      currentSession().then(
        (answer) => {
          setProblem('');
          setSignedIn(answer);
        },
        (error) => {
          setProblem(errorText(error));
          timer = setTimeout(() => void check(), RECHECK_MS);
        },
      );
    void check();
    return () => clearTimeout(timer);
  }, []);

  if (signedIn === null && problem)
    return (
      <main class="sign-in">
        <h1>Nectr</h1>
        <ErrorAlert message={problem} />
        <p class="muted">Trying again every {RECHECK_MS / 1000} seconds.</p>
      </main>
    );
  if (signedIn === null) return <p class="muted">Loading…</p>;
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;

  const leave = async () => {
    setSignOutProblem('');
    try {
      await signOut();
    } catch (failure) {
      // 401: the session had already ended. Anything else leaves it open: say so, rather than show
      // the sign-in form over a cookie that still works.
      if (!(failure instanceof ApiError && failure.status === 401)) {
        setSignOutProblem(`Signing out failed (${errorText(failure)}): you are still signed in.`);
        return;
      }
    }
    setSignedIn(false);
    location.hash = '';
  };
  const {
    parts: [page, id],
    params,
  } = route;
  return (
    <>
      <header>
        <nav aria-label="Main">
          <span class="brand">Nectr</span>
          {PAGES.map(([path, label]) => (
            <a href={`#/${path}`} aria-current={page === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
          <button type="button" class="link" onClick={() => void leave()}>
            Sign out
          </button>
        </nav>
      </header>
      <main>
        <ErrorAlert message={signOutProblem} />
        {page === 'events' && id ? (
          <EventPage key={id} id={id} />
        ) : page === 'events' ? (
          <EventsPage params={params} />
        ) : page === 'overview' ? (
          <OverviewPage params={params} />
        ) : (
          <RepositoriesPage />
        )}
      </main>
    </>
  );
}
