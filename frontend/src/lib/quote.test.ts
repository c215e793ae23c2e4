import { describe, expect, it } from 'vitest';
import { message } from '../testing/fakeGo';
import { quotedMessage, quoteIndex } from './quote';

describe('quotes', () => {
  const file = (name: string, mime: string) => ({ name, size: 9, mime, thumbnail: false, width: 0, height: 0, duration: 3 });
  const bob = 'BOB00001';
  const me = 'ALICE001';
  const voice = message({ id: 'v', sortKey: 1, sender: bob, type: 'file', text: '', file: file('voice-1.ogg', 'audio/ogg') });
  const lunch1 = message({ id: 'l1', sortKey: 2, sender: bob, text: 'lunch?' });
  const mine = message({ id: 'o', sortKey: 3, sender: me, outgoing: true, text: 'lunch?' });
  const photo = message({ id: 'p', sortKey: 4, sender: bob, type: 'image', text: 'the view', file: file('IMG_1.jpg', 'image/jpeg') });
  const long = 'x'.repeat(300);
  const essay = message({ id: 'e', sortKey: 5, sender: bob, text: long });
  const lunch2 = message({ id: 'l2', sortKey: 6, sender: bob, text: 'lunch?' });
  const index = quoteIndex([voice, lunch1, mine, photo, essay, lunch2]);
  const reply = (sortKey: number, identity: string, text: string) =>
    message({ id: `r${sortKey}`, sortKey, sender: me, outgoing: true, text: 'ok', quote: { identity, text, messageId: '0102030405060708' } });

  it('finds the quoted file by its name, a photo by its caption', () => {
    expect(quotedMessage(index, reply(7, bob, 'voice-1.ogg'))).toBe(voice);
    expect(quotedMessage(index, reply(7, bob, 'the view'))).toBe(photo);
  });

  it('takes the sender into account, and the newest match before the reply', () => {
    expect(quotedMessage(index, reply(7, bob, 'lunch?'))).toBe(lunch2);
    expect(quotedMessage(index, reply(5, bob, 'lunch?'))).toBe(lunch1);
    expect(quotedMessage(index, reply(7, me, 'lunch?'))).toBe(mine);
  });

  it('matches a text the phone cut by its start', () => {
    expect(quotedMessage(index, reply(7, bob, 'x'.repeat(256) + '…'))).toBe(essay);
  });

  it('matches nothing for a quote of a message it does not have, or without sender', () => {
    expect(quotedMessage(index, reply(7, bob, 'dinner?'))).toBeUndefined();
    expect(quotedMessage(index, reply(1, bob, 'voice-1.ogg'))).toBeUndefined();
    expect(quotedMessage(index, reply(7, '', '…'))).toBeUndefined();
    expect(quotedMessage(index, message({ id: 'n', sortKey: 8, text: 'no quote' }))).toBeUndefined();
  });
});
