// Threema text markup: *bold*, _italic_, ~strike~ and links (http(s)://…,
// and www.… as https), parsed
// into a tree that components render as DOM nodes (never as HTML), so
// message text cannot inject markup.

/** A piece of formatted text. */
export type MarkupNode =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: MarkupNode[] };

const markers: Record<string, 'bold' | 'italic' | 'strike'> = { '*': 'bold', _: 'italic', '~': 'strike' };

const urlPattern = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[\p{L}\p{N}-]+\.[^\s<>"]+/giu;
const trailing = /[.,;:!?'*_~)\]}]+$/;
const boundary = /[\s\p{P}\p{S}]/u;
const space = /\s/;

interface Range {
  start: number;
  end: number;
  href: string;
}

/** The http/https links in text (a bare www.… as https), with trailing punctuation left out. */
export function findLinks(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(urlPattern)) {
    const raw = m[0].replace(trailing, '');
    let href: string;
    try {
      const u = new URL(/^www\./i.test(raw) ? `https://${raw}` : raw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      href = u.href;
    } catch {
      continue;
    }
    out.push({ start: m.index, end: m.index + raw.length, href });
  }
  return out;
}

/** Parses text into markup nodes. */
export function parseMarkup(text: string): MarkupNode[] {
  const links = findLinks(text);
  const linkAt = (i: number) => links.find((l) => i >= l.start && i < l.end);

  const leaves = (from: number, to: number, out: MarkupNode[]) => {
    let i = from;
    for (const l of links) {
      if (l.end <= from || l.start >= to) continue;
      if (l.start > i) out.push({ kind: 'text', text: text.slice(i, l.start) });
      out.push({ kind: 'link', href: l.href, text: text.slice(l.start, l.end) });
      i = l.end;
    }
    if (i < to) out.push({ kind: 'text', text: text.slice(i, to) });
  };

  const closing = (c: string, from: number, to: number): number => {
    for (let k = from; k < to; k++) {
      const l = linkAt(k);
      if (l) {
        k = l.end - 1;
        continue;
      }
      const ch = text[k] ?? '';
      if (ch === '\n') return -1;
      if (ch !== c) continue;
      const before = text[k - 1] ?? ' ';
      const after = text[k + 1];
      if (!space.test(before) && (k + 1 === to || after === undefined || boundary.test(after))) return k;
    }
    return -1;
  };

  const parse = (from: number, to: number): MarkupNode[] => {
    const out: MarkupNode[] = [];
    let textStart = from;
    for (let i = from; i < to; i++) {
      const l = linkAt(i);
      if (l) {
        i = l.end - 1;
        continue;
      }
      const c = text[i] ?? '';
      const kind = markers[c];
      if (!kind) continue;
      const before = i === from ? ' ' : (text[i - 1] ?? ' ');
      const next = text[i + 1];
      if (!boundary.test(before) || next === undefined || space.test(next) || next === c) continue;
      const j = closing(c, i + 2, to);
      if (j < 0) continue;
      leaves(textStart, i, out);
      out.push({ kind, children: parse(i + 1, j) });
      i = j;
      textStart = j + 1;
    }
    leaves(textStart, to, out);
    return out;
  };

  return parse(0, text.length);
}
