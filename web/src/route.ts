import { useEffect, useState } from 'preact/hooks';

/** Where the page is: `#/events/<id>` is parts `['events', id]`; `#/events?status=failed` adds params. */
export interface Route {
  hash: string;
  parts: string[];
  params: URLSearchParams;
}

/**
 * Hash routes (#/events/…): the server serves one page, and a reload keeps the place. A page's own
 * state (the Events filters and page, the Overview's period) is in the params, so Back and a reload
 * return to it too.
 */
export function useRoute(): Route {
  const [route, setRoute] = useState(readRoute);
  useEffect(() => {
    // Only a new address makes a new route: `go` and the hashchange it causes report the same one.
    const update = () => setRoute((shown) => (shown.hash === location.hash ? shown : readRoute()));
    addEventListener('hashchange', update);
    moved.add(update);
    return () => {
      removeEventListener('hashchange', update);
      moved.delete(update);
    };
  }, []);
  return route;
}

/**
 * Told by `go` at once. hashchange comes a task later, and a page rendered in between (an answer
 * arriving) would be given the old address: a select it controls would be set back to the old
 * value under the user's arrow keys, and the next key would move from there.
 */
const moved = new Set<() => void>();

function readRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const query = hash.indexOf('?');
  const path = query < 0 ? hash : hash.slice(0, query);
  return {
    hash: location.hash,
    parts: (path || 'repositories').split('/').map(decodePart),
    params: new URLSearchParams(query < 0 ? '' : hash.slice(query + 1)),
  };
}

/**
 * Goes to `#/<path>?<params>`; empty values are left out. A new history entry (Back returns) unless
 * `replace`: a filter's change replaces the current one, so Back does not walk through every value
 * picked on the way (arrow keys in a select change it once per key) but to the page before.
 */
export function go(
  path: string,
  params: Record<string, string | number | undefined>,
  { replace = false }: { replace?: boolean } = {},
): void {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, String(value));
  const text = query.toString();
  const hash = `#/${path}${text ? `?${text}` : ''}`;
  // location.replace with only the hash changed stays on the page and fires hashchange, like an assignment.
  if (replace) location.replace(hash);
  else location.hash = hash;
  for (const update of moved) update();
}

let eventsList = '#/events';

/** The Events list's address as last shown (its filters and page), for an event page's link back. */
export function eventsListAddress(): string {
  return eventsList;
}

export function rememberEventsList(address: string): void {
  eventsList = address;
}

/** A part of the address as typed when it is not valid percent-encoding (`%E0%A4%A`): a broken link must not blank the page. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
