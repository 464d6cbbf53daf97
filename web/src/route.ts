import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/events/…): the server serves one page, and a reload keeps the place. */
export function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'repositories').split('/').map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
