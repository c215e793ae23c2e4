import { describe, expect, it } from 'vitest';
import { findLinks, parseMarkup, type MarkupNode } from './markup';

/** Renders nodes as a compact string for assertions. */
function show(nodes: MarkupNode[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'link':
          return `[${n.text}](${n.href})`;
        case 'bold':
          return `<b>${show(n.children)}</b>`;
        case 'italic':
          return `<i>${show(n.children)}</i>`;
        case 'strike':
          return `<s>${show(n.children)}</s>`;
      }
    })
    .join('');
}

describe('parseMarkup', () => {
  it.each([
    ['plain text', 'plain text'],
    ['*bold*', '<b>bold</b>'],
    ['_italic_ and ~strike~', '<i>italic</i> and <s>strike</s>'],
    ['a *bold _and italic_* word', 'a <b>bold <i>and italic</i></b> word'],
    ['not*bold*here', 'not*bold*here'],
    ['* not bold *', '* not bold *'],
    ['**', '**'],
    ['2*3*4 = 24', '2*3*4 = 24'],
    ['snake_case_name', 'snake_case_name'],
    ['*bold*, then', '<b>bold</b>, then'],
    ['*two\nlines*', '*two\nlines*'],
    ['emoji 😀 *ok 🎉*', 'emoji 😀 <b>ok 🎉</b>'],
    ['see https://example.com/a_b_c.', 'see [https://example.com/a_b_c](https://example.com/a_b_c).'],
    ['*see https://x.test/*', '<b>see [https://x.test/](https://x.test/)</b>'],
    ['javascript:alert(1) and ftp://x', 'javascript:alert(1) and ftp://x'],
  ])('%j', (input, want) => {
    expect(show(parseMarkup(input))).toBe(want);
  });

  it('keeps HTML as text', () => {
    const nodes = parseMarkup('<script>alert(1)</script> *<b>x</b>*');
    expect(nodes[0]).toEqual({ kind: 'text', text: '<script>alert(1)</script> ' });
    expect(nodes[1]).toEqual({ kind: 'bold', children: [{ kind: 'text', text: '<b>x</b>' }] });
  });
});

describe('findLinks', () => {
  it('finds only http and https links and trims punctuation', () => {
    expect(findLinks('a http://a.test/x), b HTTPS://B.test/?q=1!').map((l) => l.href)).toEqual([
      'http://a.test/x',
      'https://b.test/?q=1',
    ]);
  });

  it('links a bare www. address as https', () => {
    expect(findLinks('see www.example.org. or http://www.kurier.test/a').map((l) => l.href)).toEqual([
      'https://www.example.org/',
      'http://www.kurier.test/a',
    ]);
    expect(parseMarkup('go to www.example.org/x!')).toEqual([
      { kind: 'text', text: 'go to ' },
      { kind: 'link', href: 'https://www.example.org/x', text: 'www.example.org/x' },
      { kind: 'text', text: '!' },
    ]);
    expect(findLinks('awww.example.org www. www.nodot')).toEqual([]);
  });
});
