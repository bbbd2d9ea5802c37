/**
 * `Link` header parsing (RFC 8288 §3) for `/ops/transfers` paging (docs/node-api.md §5): the next page's
 * URL is the target whose `rel` holds `next`, compared case-insensitively, quoted or not, possibly
 * among other relation types (`rel="next last"`) and other parameters, possibly relative.
 */

/** Target URLs of every link whose relation types include `rel`, resolved against `baseUrl`. */
export function linkTargets(header: string | string[] | undefined, rel: string, baseUrl: string): string[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const wanted = rel.toLowerCase();
  const targets: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    if (open < 0) break;
    const close = text.indexOf('>', open);
    if (close < 0) break;
    const target = text.slice(open + 1, close).trim();
    const { params, end } = readParams(text, close + 1);
    const rels = (params.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (rels.includes(wanted)) {
      try {
        targets.push(new URL(target, baseUrl).href);
      } catch {
        // An unparsable target is no link; the caller then sees no next page and stops.
      }
    }
    i = end;
  }
  return targets;
}

/** Parameters after `>` up to the comma that ends this link value (commas inside quotes do not). */
function readParams(text: string, start: number): { params: Map<string, string>; end: number } {
  const params = new Map<string, string>();
  let i = start;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
    if (text[i] === ',') return { params, end: i + 1 };
    if (text[i] !== ';') {
      // Garbage between links: skip to the next comma, RFC 8288 parsers are told to be forgiving.
      const comma = text.indexOf(',', i);
      return { params, end: comma < 0 ? text.length : comma + 1 };
    }
    i++;
    const nameMatch = /^\s*([^\s=;,]+)\s*/.exec(text.slice(i));
    if (!nameMatch) continue;
    const name = (nameMatch[1] ?? '').toLowerCase();
    i += nameMatch[0].length;
    let value = '';
    if (text[i] === '=') {
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i];
          i++;
        }
        i++;
      } else {
        const m = /^[^;,]*/.exec(text.slice(i))?.[0] ?? '';
        value = m.trim();
        i += m.length;
      }
    }
    // RFC 8288 §3.3: only the first occurrence of `rel` counts.
    if (!params.has(name)) params.set(name, value);
  }
  return { params, end: i };
}

/** The `iteration_token` of the `rel="next"` link, or null when there is no next page (docs/node-api.md §5). */
export function nextIterationToken(header: string | string[] | undefined, requestUrl: string): string | null {
  for (const target of linkTargets(header, 'next', requestUrl)) {
    const token = new URL(target).searchParams.get('iteration_token');
    if (token !== null && token !== '') return token;
  }
  return null;
}
