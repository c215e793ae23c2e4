import { describe, expect, it } from 'vitest';
import { message } from '../testing/fakeGo';
import { delivery, firstUnreadId, mergeMessages, timeline, timelineBuilder } from './messages';

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

  it('keeps the row objects of unchanged messages and days from one timeline to the next', () => {
    const build = timelineBuilder();
    const m1 = message({ id: '1', date: day(1), sortKey: 1 });
    const m2 = message({ id: '2', date: day(2), sortKey: 2 });
    const first = build([m1, m2], '');
    const older = message({ id: '0', date: day(1, 9), sortKey: 0.5 });
    const changed = { ...m2, state: 'read' };
    const second = build([older, m1, changed], '2');
    const byKey = (items: ReturnType<typeof build>) => new Map(items.map((i) => [i.key, i]));
    const a = byKey(first);
    const b = byKey(second);
    expect(b.get('msg:1')).toBe(a.get('msg:1'));
    expect(b.get('day:2025-01-01')).toBe(a.get('day:2025-01-01'));
    expect(b.get('day:2025-01-02')).toBe(a.get('day:2025-01-02'));
    expect(b.get('msg:2')).not.toBe(a.get('msg:2'));
    expect(b.get('msg:2')).toEqual({ kind: 'message', key: 'msg:2', message: changed });
    expect(second.map((i) => i.key)).toEqual(['day:2025-01-01', 'msg:0', 'msg:1', 'day:2025-01-02', 'new', 'msg:2']);
    // The same rows as a timeline built afresh (a day row keeps the time it was made with).
    const rows = (items: ReturnType<typeof build>) => items.map((i) => (i.kind === 'message' ? i.message : i.key));
    expect(rows(second)).toEqual(rows(timeline([older, m1, changed], '2')));
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
