/**
 * Whether a JSON text nests arrays/objects deeper than `max`, scanned without parsing (so without
 * recursion): deeply nested bodies would otherwise exhaust the stack of whatever walks them next.
 */
export function jsonNestsDeeperThan(text: Buffer | string, max: number): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  // Nesting deeper than `max` takes more than `max` brackets: most texts are settled by a native
  // search for them, without a loop over every byte in JavaScript.
  if (!hasMoreOpenersThan(bytes, max)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function hasMoreOpenersThan(bytes: Buffer, max: number): boolean {
  let count = 0;
  for (const opener of [0x7b, 0x5b]) {
    for (let i = bytes.indexOf(opener); i !== -1; i = bytes.indexOf(opener, i + 1)) {
      if (++count > max) return true;
    }
  }
  return false;
}
