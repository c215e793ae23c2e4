import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { message } from '../testing/fakeGo';
import { previewOf, summaryOf } from './preview';

describe('message summaries', () => {
  const t = translator('en');
  const file = (name: string, mime: string, duration = 0) => ({ name, size: 9, mime, thumbnail: false, width: 0, height: 0, duration });
  it('says what a message without text is, for the list and for notifications', () => {
    const voice = message({ id: 'v', type: 'file', text: '', file: file('voice-20261206-101500.ogg', 'audio/ogg;codecs=opus', 6.6) });
    expect(summaryOf(voice, t)).toEqual({ icon: 'mic', text: 'Voice message (0:07)' });
    expect(summaryOf({ ...voice, file: file('a.m4a', 'audio/mp4') }, t).text).toBe('Voice message');
    expect(summaryOf(message({ id: 'i', type: 'image', text: '', file: file('IMG_1.jpg', 'image/jpeg') }), t)).toEqual({ icon: 'image', text: 'Photo' });
    expect(summaryOf(message({ id: 'c', type: 'image', text: 'the view', file: file('IMG_1.jpg', 'image/jpeg') }), t).text).toBe('the view');
    expect(summaryOf(message({ id: 'f', type: 'file', text: '', file: file('notes.pdf', 'application/pdf') }), t)).toEqual({ icon: 'attach', text: 'notes.pdf' });
    expect(summaryOf(message({ id: 'l', type: 'location', text: '', location: { lat: 1, lon: 2, description: '' } }), t).text).toBe('Location');
  });

  it('shows the text without its markup markers', () => {
    expect(summaryOf(message({ id: 'm', text: 'Hello group, *bold* and _italic_ ~gone~ https://kurier.test/a_b_c' }), t).text).toBe(
      'Hello group, bold and italic gone https://kurier.test/a_b_c',
    );
    expect(summaryOf(message({ id: 'u', text: '2 * 3 = 6, snake_case' }), t).text).toBe('2 * 3 = 6, snake_case');
  });

  it('says a conversation has no messages, and who wrote the last one', () => {
    const name = (id: string) => (id === 'BOB00001' ? 'Bob' : id);
    expect(previewOf(null, 'contact', t, name)).toEqual({ icon: undefined, text: 'No messages', empty: true });
    expect(previewOf(message({ id: 'o', outgoing: true, text: 'hi' }), 'contact', t, name).text).toBe('You: hi');
    expect(previewOf(message({ id: 'g', sender: 'BOB00001', text: 'hi' }), 'group', t, name).text).toBe('Bob: hi');
  });
});
