/**
 * The first `keep` UTF-16 units of `text` and `…`, one unit fewer when the cut would split a
 * character outside the BMP (an emoji) in two: half a pair is not text, and GitHub refuses or
 * garbles it.
 */
export function ellipsize(text: string, keep: number): string {
  const last = text.charCodeAt(keep - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? keep - 1 : keep; // a high surrogate
  return `${text.slice(0, end)}…`;
}
