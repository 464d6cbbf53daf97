import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/events/…): the server serves one page, and a reload keeps the place. */
export function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'repositories').split('/').map(decodePart);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A part of the address as typed when it is not valid percent-encoding (`%E0%A4%A`): a broken link must not blank the page. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
