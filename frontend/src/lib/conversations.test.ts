import { describe, expect, it } from 'vitest';
import { conversation } from '../testing/fakeGo';
import {
  applyConversationsEvent,
  documentTitle,
  filterConversations,
  fuzzyFilter,
  sortConversations,
  unreadTotal,
} from './conversations';

const c = (id: string, lastActivity: number, extra: Parameters<typeof conversation>[0] extends infer P ? Partial<P> : never = {}) =>
  conversation({ receiver: { type: 'contact', id }, name: `Name ${id}`, lastActivity, ...extra });

describe('conversation list', () => {
  it('sorts pinned first, then newest first', () => {
    const list = sortConversations([c('A', 1), c('B', 3), c('P', 0, { pinned: true }), c('C', 2)]);
    expect(list.map((x) => x.receiver.id)).toEqual(['P', 'B', 'C', 'A']);
  });

  it('upserts by receiver or replaces the whole list', () => {
    const list = [c('A', 1), c('B', 2)];
    const up = applyConversationsEvent(list, { conversations: [c('A', 5), c('N', 3)], replace: false });
    expect(up.map((x) => `${x.receiver.id}${x.lastActivity}`)).toEqual(['A5', 'N3', 'B2']);
    const rep = applyConversationsEvent(list, { conversations: [c('Z', 1)], replace: true });
    expect(rep.map((x) => x.receiver.id)).toEqual(['Z']);
  });

  it('counts unread messages into the title', () => {
    const list = [c('A', 1, { unreadCount: 2 }), c('B', 1, { unreadCount: 1 }), c('C', 1)];
    expect(unreadTotal(list)).toBe(3);
    expect(documentTitle('Kurier', 3)).toBe('(3) Kurier');
    expect(documentTitle('Kurier', 0)).toBe('Kurier');
  });

  it('filters by name or id', () => {
    const list = [c('ALICE123', 1), c('BOB45678', 2)];
    expect(filterConversations(list, 'bob').map((x) => x.receiver.id)).toEqual(['BOB45678']);
    expect(filterConversations(list, ' ')).toHaveLength(2);
  });

  it('fuzzy-matches for the quick switcher, best first', () => {
    const list = [
      conversation({ receiver: { type: 'contact', id: '1' }, name: 'Carol Meyer' }),
      conversation({ receiver: { type: 'contact', id: '2' }, name: 'Marc' }),
      conversation({ receiver: { type: 'group', id: '3' }, name: 'Climbing crew' }),
    ];
    expect(fuzzyFilter(list, 'mar').map((x) => x.name)).toEqual(['Marc']);
    expect(fuzzyFilter(list, 'crm').map((x) => x.name)).toEqual(['Carol Meyer']);
    expect(fuzzyFilter(list, 'cc').map((x) => x.name)).toContain('Climbing crew');
    expect(fuzzyFilter(list, 'zzz')).toEqual([]);
  });
});
