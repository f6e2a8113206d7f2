/**
 * Splits a text into the JSON values it holds, for a calculator fed on stdin: one value, values
 * one per line, or values written one after another (pretty-printed included). A part that does
 * not parse is returned as an error for that part, and the rest still parse.
 */
export type JsonPart = { ok: true; value: unknown } | { ok: false; error: string };

/** Top-level segments: each balanced {...} or [...] (strings respected), or a run of other text. */
function segments(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const start = i;
    const open = text[i];
    if (open === '{' || open === '[') {
      let depth = 0;
      let inString = false;
      for (; i < n; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          if (--depth === 0) {
            i++;
            break;
          }
        }
      }
    } else {
      while (i < n && text[i] !== '\n') i++;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

const describe = (e: unknown, s: string) => `bad JSON: ${(e as Error).message} in ${JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s)}`;

/** Parses every JSON value in `text`, in order, with an error for each part that is not JSON. */
export function parseJsonSequence(text: string): JsonPart[] {
  const parts: JsonPart[] = [];
  for (const seg of segments(text)) {
    try {
      parts.push({ ok: true, value: JSON.parse(seg) });
    } catch (e) {
      // An unbalanced value swallows the lines after it: give each line its own chance.
      const lines = seg.split('\n').filter((l) => l.trim() !== '');
      if (lines.length <= 1) {
        parts.push({ ok: false, error: describe(e, seg) });
        continue;
      }
      for (const l of lines) {
        try {
          parts.push({ ok: true, value: JSON.parse(l) });
        } catch (e2) {
          parts.push({ ok: false, error: describe(e2, l) });
        }
      }
    }
  }
  return parts;
}
