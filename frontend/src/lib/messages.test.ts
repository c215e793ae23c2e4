import { describe, expect, it } from 'vitest';
import { message } from '../testing/fakeGo';
import { delivery, firstUnreadId, mergeMessages, timeline } from './messages';

const day = (d: number, h = 12) => new Date(2025, 0, d, h).getTime();

describe('messages', () => {
  it('merges by id, removes, and sorts oldest first', () => {
    const a = message({ id: 'a', sortKey: 1 });
    const b = message({ id: 'b', sortKey: 2 });
    const merged = mergeMessages([b], [a, { ...b, state: 'read' }]);
    expect(merged.map((m) => `${m.id}:${m.state}`)).toEqual(['a:delivered', 'b:read']);
    expect(mergeMessages(merged, [], ['a']).map((m) => m.id)).toEqual(['b']);
  });

  it('puts day separators and the new-messages divider in the timeline', () => {
    const list = [
      message({ id: '1', date: day(1), sortKey: 1 }),
      message({ id: '2', date: day(1, 13), sortKey: 2, unread: true, outgoing: true }),
      message({ id: '3', date: day(2), sortKey: 3, unread: true }),
      message({ id: '4', date: day(2, 14), sortKey: 4, unread: true }),
    ];
    const unread = firstUnreadId(list);
    expect(unread).toBe('3');
    expect(timeline(list, unread).map((i) => (i.kind === 'message' ? i.message.id : i.kind))).toEqual([
      'day',
      '1',
      '2',
      'day',
      'new',
      '3',
      '4',
    ]);
  });

  it.each([
    ['queued', 'queued'],
    ['pending', 'sending'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['user-ack', 'read'],
    ['send-failed', 'failed'],
    ['weird', 'none'],
  ])('%s shows as %s', (state, want) => {
    expect(delivery(state)).toBe(want);
  });
});
