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

  it('marks where runs of one sender start and end', () => {
    const bob = { sender: 'BOB00001' };
    const list = [
      message({ id: '1', date: day(1), sortKey: 1, ...bob }),
      message({ id: '2', date: day(1, 13), sortKey: 2, ...bob }),
      message({ id: '3', date: day(1, 13), sortKey: 3, sender: 'CAROL001' }),
      message({ id: '4', date: day(1, 14), sortKey: 4, outgoing: true, sender: 'MYSELF01' }),
      message({ id: '5', date: day(1, 14), sortKey: 5, outgoing: true, sender: 'MYSELF01' }),
      message({ id: '6', date: day(1, 15), sortKey: 6, type: 'status', ...bob }),
      message({ id: '7', date: day(1, 15), sortKey: 7, ...bob }),
      message({ id: '8', date: day(2), sortKey: 8, ...bob }),
      message({ id: '9', date: day(2, 13), sortKey: 9, unread: true, ...bob }),
      message({ id: '10', date: day(2, 13), sortKey: 10, unread: true, ...bob }),
    ];
    const runs = timeline(list, '9').flatMap((i) => (i.kind === 'message' ? [`${i.message.id}${i.first ? '<' : ''}${i.last ? '>' : ''}`] : []));
    // Bob's two, Carol's one, the own two, the status line alone, Bob's after it;
    // a new day and the unread divider start new runs.
    expect(runs).toEqual(['1<', '2>', '3<>', '4<', '5>', '6<>', '7<>', '8<>', '9<', '10>']);
  });

  it('keeps the row objects of unchanged messages and days from one timeline to the next', () => {
    const build = timelineBuilder();
    const m1 = message({ id: '1', date: day(1), sortKey: 1 });
    const m2 = message({ id: '2', date: day(2), sortKey: 2 });
    const first = build([m1, m2], '');
    const older = message({ id: '0', date: day(1, 9), sortKey: 0.5, sender: 'CAROL001' });
    const changed = { ...m2, state: 'read' };
    const second = build([older, m1, changed], '2');
    const byKey = (items: ReturnType<typeof build>) => new Map(items.map((i) => [i.key, i]));
    const a = byKey(first);
    const b = byKey(second);
    expect(b.get('msg:1')).toBe(a.get('msg:1'));
    expect(b.get('day:2025-01-01')).toBe(a.get('day:2025-01-01'));
    expect(b.get('day:2025-01-02')).toBe(a.get('day:2025-01-02'));
    expect(b.get('msg:2')).not.toBe(a.get('msg:2'));
    expect(b.get('msg:2')).toEqual({ kind: 'message', key: 'msg:2', message: changed, first: true, last: true });
    expect(second.map((i) => i.key)).toEqual(['day:2025-01-01', 'msg:0', 'msg:1', 'day:2025-01-02', 'new', 'msg:2']);
    // The same rows as a timeline built afresh (a day row keeps the time it was made with).
    const rows = (items: ReturnType<typeof build>) => items.map((i) => (i.kind === 'message' ? i.message : i.key));
    expect(rows(second)).toEqual(rows(timeline([older, m1, changed], '2')));
    // A message whose run changed (one of the same sender came before it) gets a new row.
    const same = message({ id: '0b', date: day(1, 10), sortKey: 0.7 });
    const third = byKey(build([older, same, m1, changed], '2'));
    expect(third.get('msg:1')).not.toBe(b.get('msg:1'));
    expect(third.get('msg:1')).toMatchObject({ first: false, last: true });
    expect(third.get('msg:0')).toBe(b.get('msg:0'));
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
