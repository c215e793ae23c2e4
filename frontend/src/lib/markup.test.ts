import { markify } from '@threema/threema-markup';
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
    ['* not bold *', '<b> not bold </b>'],
    ['**', '**'],
    ['**a**', '**a**'],
    ['__init__ and a__b__', '__init__ and a__b__'],
    ['~~a~~', '~~a~~'],
    ['x_*a*_x', 'x<i><b>a</b></i>x'],
    ['*a _b* c_', '<b>a _b</b> c_'],
    ['@*a*@ /*a*/', '@*a*@ /*a*/'],
    ['2*3*4 = 24', '2*3*4 = 24'],
    ['snake_case_name', 'snake_case_name'],
    ['*bold*, then', '<b>bold</b>, then'],
    ['*two\nlines*', '*two\nlines*'],
    ['emoji 😀 *ok 🎉*', 'emoji 😀 <b>ok 🎉</b>'],
    ['see https://example.com/a_b_c.', 'see [https://example.com/a_b_c](https://example.com/a_b_c).'],
    ['*see https://x.test/*', '*see [https://x.test/](https://x.test/)*'],
    ['_https://x.test/a_b_', '_[https://x.test/a_b](https://x.test/a_b)_'],
    ['*see https://x.test/ now*', '<b>see [https://x.test/](https://x.test/) now</b>'],
    ['_see www.x.test_', '<i>see [www.x.test](https://www.x.test/)</i>'],
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

// The pairing of markers must be Threema's: the same structure as the HTML
// that @threema/threema-markup's own parser writes, for every text.
describe('parseMarkup agrees with @threema/threema-markup', () => {
  const classes: Record<string, string> = { bold: 'text-bold', italic: 'text-italic', strike: 'text-strike' };
  const asLibraryHTML = (nodes: MarkupNode[]): string =>
    nodes
      .map((n) =>
        n.kind === 'text' || n.kind === 'link'
          ? n.text
          : `<span class="${classes[n.kind]}">${asLibraryHTML(n.children)}</span>`,
      )
      .join('');

  it('on random texts of markers, words, punctuation, links and lines', () => {
    const alphabet = ['*', '_', '~', ' ', 'a', 'b', '\n', '.', ',', '(', ')', '-', '@', '/', 'https://x.test/', 'www.y.test', '😀'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 5000; n++) {
      let text = '';
      const length = Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(asLibraryHTML(parseMarkup(text)), JSON.stringify(text)).toBe(markify(text));
    }
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
