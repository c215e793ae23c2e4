// Threema text markup: *bold*, _italic_, ~strike~ and links (http(s)://…,
// and www.… as https), parsed into a tree that components render as DOM
// nodes (never as HTML), so message text cannot inject markup.
//
// Where a marker opens and closes is Threema's own rule: the text is split
// by @threema/threema-markup's tokenizer (the library of Threema Web), and
// the tokens are paired as its parser pairs them. That parser returns an
// HTML string of the raw text, so the pairing is redone here into nodes, in
// one pass (lib/markup.test.ts checks it against the library's output).

import { tokenize, TokenType } from '@threema/threema-markup';

/** A piece of formatted text. */
export type MarkupNode =
  | { kind: 'text'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'bold' | 'italic' | 'strike'; children: MarkupNode[] };

type Style = 'bold' | 'italic' | 'strike';

const styleOf: Partial<Record<TokenType, Style>> = {
  [TokenType.Asterisk]: 'bold',
  [TokenType.Underscore]: 'italic',
  [TokenType.Tilde]: 'strike',
};
const markerOf: Record<Style, string> = { bold: '*', italic: '_', strike: '~' };

// A link starts after anything but a letter or digit (a markup marker
// such as _ too, which \b would not allow).
const urlPattern = /(?<![\p{L}\p{N}])https?:\/\/[^\s<>"]+|(?<![\p{L}\p{N}.-])www\.[\p{L}\p{N}-]+\.[^\s<>"]+/giu;
const trailing = /[.,;:!?'*_~)\]}]+$/;

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

/** An entry of the pairing stack: finished nodes, or a marker still open. */
type Entry = MarkupNode | { kind: 'open'; style: Style };

/** The characters that can be markup; a text without them is one text run (and its links). */
const markupChars = /[*_~\n]/;

/** Parses text into markup nodes, in time linear in its length. */
export function parseMarkup(text: string): MarkupNode[] {
  // Most messages have no markup: skip the tokenizer, whose link detection
  // looks at the rest of the text at every character.
  if (!markupChars.test(text)) return withLinks(text ? [{ kind: 'text', text }] : []);
  const done: MarkupNode[] = [];
  const stack: Entry[] = [];
  const open: Record<Style, boolean> = { bold: false, italic: false, strike: false };
  const asNode = (e: Entry): MarkupNode => (e.kind === 'open' ? { kind: 'text', text: markerOf[e.style] } : e);
  const flush = () => {
    for (const e of stack) done.push(asNode(e));
    stack.length = 0;
    open.bold = open.italic = open.strike = false;
  };

  for (const token of tokenize(text)) {
    if (token.kind === TokenType.Text) {
      stack.push({ kind: 'text', text: token.value ?? '' });
      continue;
    }
    if (token.kind === TokenType.Newline) {
      // No style spans lines: what is open stays text.
      flush();
      done.push({ kind: 'text', text: '\n' });
      continue;
    }
    const style = styleOf[token.kind];
    if (!style) continue;
    if (!open[style]) {
      stack.push({ kind: 'open', style });
      open[style] = true;
      continue;
    }
    // Close: everything since the opening marker is its content; markers
    // of other styles opened inside and not closed become text.
    const children: MarkupNode[] = [];
    for (;;) {
      const e = stack.pop();
      if (!e) break; // cannot happen: open[style] says it is on the stack
      if (e.kind === 'open') {
        open[e.style] = false;
        if (e.style === style) break;
      }
      children.push(asNode(e));
    }
    children.reverse();
    stack.push(
      children.length > 0 ? { kind: style, children: withLinks(children) } : { kind: 'text', text: markerOf[style].repeat(2) },
    );
  }
  flush();
  return withLinks(done);
}

/** Joins neighbouring text nodes and turns the links in them into link nodes. */
function withLinks(nodes: MarkupNode[]): MarkupNode[] {
  const out: MarkupNode[] = [];
  let text = '';
  const emit = () => {
    if (!text) return;
    let i = 0;
    for (const l of findLinks(text)) {
      if (l.start > i) out.push({ kind: 'text', text: text.slice(i, l.start) });
      out.push({ kind: 'link', href: l.href, text: text.slice(l.start, l.end) });
      i = l.end;
    }
    if (i < text.length) out.push({ kind: 'text', text: text.slice(i) });
    text = '';
  };
  for (const n of nodes) {
    if (n.kind === 'text') {
      text += n.text;
    } else {
      emit();
      out.push(n);
    }
  }
  emit();
  return out;
}

/**
 * The text without its markup markers, as a preview or a notification shows
 * it: "*bold* and _italic_" → "bold and italic". Markers that pair nothing
 * stay, as they do in the bubble.
 */
export function plainText(text: string): string {
  if (!/[*_~]/.test(text)) return text;
  const flat = (nodes: MarkupNode[]): string =>
    nodes.map((n) => (n.kind === 'text' || n.kind === 'link' ? n.text : flat(n.children))).join('');
  return flat(parseMarkup(text));
}
