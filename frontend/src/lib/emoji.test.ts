import { describe, expect, it } from 'vitest';
import { emojiOnlyCount, replaceShortcodeAt, replaceTypedShortcode, shortcodeQuery, suggestShortcodes, tidyEmoji } from './emoji';

describe('emojiOnlyCount', () => {
  it.each([
    ['👍', 1],
    ['🎉🎉', 2],
    ['  😀 😃\n😄 ', 3],
    ['🇨🇭', 1], // a flag: two regional indicators
    ['🇨🇭🇩🇪🇦🇹', 3],
    ['🏴󠁧󠁢󠁳󠁣󠁴󠁿', 1], // Scotland: a tag sequence
    ['👨‍👩‍👧‍👦', 1], // a ZWJ family
    ['👩🏽‍💻', 1], // ZWJ with a skin tone
    ['👍🏿👍🏻', 2], // skin tones
    ['❤️', 1], // text-default heart asked to be emoji
    ['❤️‍🔥', 1],
    ['☝🏼', 1], // text-default with a skin tone
    ['1️⃣', 1], // keycaps
    ['#️⃣*️⃣', 2],
    ['🏳️‍🌈', 1],
    ['😀😃😄😁', 0], // four are too many
    ['hi 👋', 0], // text with emoji
    ['👋!', 0],
    ['1', 0], // a digit is an emoji component, not an emoji
    ['#', 0],
    ['©', 0], // text-default symbols without VS16 stay text
    ['☺︎', 0], // VS15 asks for text
    ['', 0],
    ['   ', 0],
    ['🇨', 0], // a lone regional indicator is a letter
  ])('%j → %i', (text, want) => {
    expect(emojiOnlyCount(text)).toBe(want);
  });

  it('takes another limit', () => {
    expect(emojiOnlyCount('😀😃😄😁', 4)).toBe(4);
    expect(emojiOnlyCount('😀😃', 1)).toBe(0);
  });
});

describe('tidyEmoji', () => {
  it('drops VS16 after emoji-presentation characters only', () => {
    expect(tidyEmoji('👍\uFE0F')).toBe('👍');
    expect(tidyEmoji('❤\uFE0F')).toBe('❤\uFE0F');
  });
});

describe('shortcodeQuery', () => {
  it.each([
    [':smi', 4, { start: 0, query: 'smi' }],
    ['hi :Smi', 7, { start: 3, query: 'smi' }],
    ['(:+1', 4, { start: 1, query: '+1' }],
    ['hi :smi there', 7, { start: 3, query: 'smi' }],
    [':s', 2, undefined], // two characters at least
    ['10:30', 5, undefined], // a time, not a shortcode
    ['a:smi', 5, undefined],
    [':smile:', 7, undefined], // already complete
    [':smi le', 7, undefined],
    [':)', 2, undefined],
  ])('%j at %i', (text, caret, want) => {
    expect(shortcodeQuery(text, caret)).toEqual(want);
  });
});

const codes: Record<string, string> = { smile: '😄', tada: '🎉', '+1': '👍' };
const lookup = (c: string) => codes[c];

describe('replaceTypedShortcode', () => {
  it.each([
    [':smile: ', 8, '😄 ', 3],
    ['yes :tada:!', 11, 'yes 🎉!', 7],
    ['yes :tada:, ok', 11, 'yes 🎉, ok', 7],
    ['(:+1:)', 6, '(👍)', 4],
    [':SMILE:.', 8, '😄.', 3],
  ])('%j → %j', (text, caret, want, wantCaret) => {
    expect(replaceTypedShortcode(text, caret, lookup)).toMatchObject({ text: want, caret: wantCaret });
  });

  it.each([
    [':nope: ', 7], // not a shortcode
    [':smile:', 7], // not yet ended
    [':smile:x', 8],
    ['a:smile: ', 9], // glued to a word
    ['10:30: ', 7],
    [':smile: ', 7], // the caret is not after the terminator
  ])('leaves %j alone', (text, caret) => {
    expect(replaceTypedShortcode(text, caret, lookup)).toBeUndefined();
  });

  it('replaces a shortcode at the end of the text (on send)', () => {
    expect(replaceShortcodeAt('party :tada:', 12, 12, lookup)).toEqual({ text: 'party 🎉', caret: 8, emoji: '🎉' });
  });
});

describe('suggestShortcodes', () => {
  const all = ['grin', 'heart_eyes', 'slightly_smiling_face', 'smile', 'smile_cat', 'smiley', 'smiling_imp', 'smirk', 'sweat_smile'].sort();

  it('puts shortcodes starting with the query first, shortest first, then those containing it', () => {
    expect(suggestShortcodes(all, 'smi')).toEqual(['smile', 'smirk', 'smiley', 'smile_cat', 'smiling_imp', 'slightly_smiling_face', 'sweat_smile']);
  });

  it('gives at most the limit', () => {
    expect(suggestShortcodes(all, 'smi', 3)).toEqual(['smile', 'smirk', 'smiley']);
    expect(suggestShortcodes(all, 'xyz')).toEqual([]);
  });
});
