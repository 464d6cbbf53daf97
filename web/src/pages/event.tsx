import { useState } from 'preact/hooks';
import { api, ApiError, type EventDetail } from '../api.js';
import { eventsListAddress } from '../route.js';
import { errorText, usePolling, when } from '../util.js';
import { ErrorAlert } from './error-alert.js';

interface Step {
  label: string;
  at: string | null;
  detail?: string;
}

/** What the stored event tells of its way: each step with its time when the event keeps one. */
function timeline(e: EventDetail): Step[] {
  const steps: Step[] = [{ label: 'received', at: e.created_at }];
  if (e.status === 'received') return steps;
  steps.push({ label: 'queued', at: null, detail: 'for review' });
  if (e.attempts > 0 || e.status === 'processing')
    steps.push({ label: 'processing', at: null, detail: `${e.attempts} attempt${e.attempts === 1 ? '' : 's'}` });
  if (['completed', 'failed', 'superseded'].includes(e.status))
    steps.push({ label: e.status, at: e.processed_at ?? e.updated_at });
  else if (e.status === 'pending' && e.attempts > 0)
    steps.push({ label: 'pending', at: e.updated_at, detail: 'waiting to retry' });
  return steps;
}

/** Statuses an event never leaves: `received` is not reviewed; the others are a review's end. */
const SETTLED = new Set(['received', 'completed', 'superseded']);

export function EventPage({ id }: { id: string }) {
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [error, setError] = useState('');
  // Retry's failure stays until the next try; the refresh every 2 s clears only its own.
  const [retryError, setRetryError] = useState('');
  const [busy, setBusy] = useState(false);
  // No such event (a mistyped address, or deleted after EVENT_RETENTION_DAYS): it will not appear.
  const [gone, setGone] = useState(false);

  const load = async () => {
    try {
      setEvent(await api<EventDetail>(`/api/v1/events/${encodeURIComponent(id)}`));
      setError('');
    } catch (failure) {
      setError(errorText(failure));
      if (failure instanceof ApiError && failure.status === 404) setGone(true);
    }
  };
  // Asked again every 2 s while the event can still change (pending, processing; failed, which a
  // Retry elsewhere turns pending). A settled event is not fetched again: each answer carries the
  // whole payload, up to GitHub's 25 MB. Nor is one the API does not have (404).
  usePolling(
    async () => {
      if (!gone && (!event || !SETTLED.has(event.status))) await load();
    },
    2_000,
    [id],
  );

  const retry = async () => {
    setBusy(true);
    setRetryError('');
    try {
      await api(`/api/v1/events/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      await load();
    } catch (failure) {
      setRetryError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="event-title">
      <p>
        <a href={eventsListAddress()}>← Events</a>
      </p>
      <h1 id="event-title">Event</h1>
      <ErrorAlert message={retryError} />
      <ErrorAlert message={error} />
      {event && (
        <>
          <dl class="facts">
            <dt>Repository</dt>
            <dd>{event.repo}</dd>
            <dt>Type</dt>
            <dd>{event.event_type}</dd>
            <dt>Pull request</dt>
            <dd>{event.pr_number ?? '—'}</dd>
            <dt>Head</dt>
            <dd>
              <code>{event.head_sha?.slice(0, 12) ?? '—'}</code>
            </dd>
            <dt>Status</dt>
            <dd>
              <span class={`status ${event.status}`} data-testid="event-status">
                {event.status}
              </span>
            </dd>
            <dt>Delivery</dt>
            <dd>
              <code>{event.delivery_id}</code>
            </dd>
            {event.review_url && (
              <>
                <dt>Review</dt>
                <dd>
                  <a href={event.review_url} rel="noreferrer" target="_blank">
                    {event.review_url}
                  </a>
                </dd>
              </>
            )}
            {event.note && (
              <>
                <dt>Note</dt>
                <dd>{event.note}</dd>
              </>
            )}
          </dl>
          {event.status === 'failed' && (
            <button type="button" onClick={() => void retry()} disabled={busy}>
              Retry
            </button>
          )}
          <h2>Timeline</h2>
          <ol class="timeline">
            {timeline(event).map((step) => (
              <li key={step.label}>
                <strong>{step.label}</strong> {step.at ? when(step.at) : ''} {step.detail ?? ''}
              </li>
            ))}
          </ol>
          {event.error && (
            <>
              <h2>Error</h2>
              <pre class="error-text">{event.error}</pre>
            </>
          )}
          <details>
            <summary>Payload</summary>
            <pre>{JSON.stringify(event.payload, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  );
}
