import { useState } from 'preact/hooks';
import { api, type Overview } from '../api.js';
import { go } from '../route.js';
import { errorText, usePolling, when } from '../util.js';
import { Chart } from './chart.js';
import { ErrorAlert } from './error-alert.js';

export function OverviewPage({ params }: { params: URLSearchParams }) {
  const window = params.get('window') === 'day' ? 'day' : 'hour';
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState('');

  usePolling(
    async (current) => {
      try {
        const overview = await api<Overview>(`/api/v1/stats/overview?window=${window}`);
        if (!current()) return; // the period changed meanwhile
        setData(overview);
        setError('');
      } catch (failure) {
        if (current()) setError(errorText(failure));
      }
    },
    15_000,
    [window],
  );

  const queue = data?.queue;
  const rate = data?.github_rate_limit;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <label>
        Period{' '}
        <select value={window} onChange={(e) => go('overview', { window: e.currentTarget.value }, { replace: true })}>
          <option value="hour">Last hour</option>
          <option value="day">Last day</option>
        </select>
      </label>
      <ErrorAlert message={error} />
      {data && (
        <>
          <ul class="tiles">
            <li>
              <span class="figure">{queue ? queue.waiting + queue.delayed : '—'}</span> queued review jobs
              {queue && <span class="muted"> ({queue.active} running)</span>}
              {!queue && <span class="muted"> (Redis unreachable)</span>}
            </li>
            <li>
              <span class="figure">{data.outbox_backlog}</span> events waiting for the queue (outbox)
            </li>
            <li>
              <span class="figure">{data.failed_events.count}</span> failed events
            </li>
            <li>
              <span class="figure">{rate ? rate.remaining : '—'}</span> GitHub requests left
              {rate ? (
                <span class="muted">
                  {' '}
                  of {rate.limit}, reset {when(rate.reset_at)}
                </span>
              ) : (
                <span class="muted"> (GitHub did not answer)</span>
              )}
            </li>
          </ul>
          <div class="charts">
            <Chart title="Deliveries per minute, by result" data={data.deliveries} />
            <Chart title="Reviews per minute, by outcome" data={data.reviews} />
          </div>
          {data.failed_events.latest.length > 0 && (
            <>
              <h2>Failed events to look at</h2>
              <ul class="failed-events">
                {data.failed_events.latest.map((e) => (
                  <li key={e.id}>
                    <a href={`#/events/${e.id}`}>
                      {e.repo} #{e.pr_number ?? '—'} {e.event_type}, {when(e.created_at)}
                    </a>
                    {e.error && <span class="muted"> — {e.error}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
