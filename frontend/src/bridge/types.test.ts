import { describe, expect, it } from 'vitest';
import { createApi, Methods } from './api';
import { FakeGo } from '../testing/fakeGo';
import {
  PayloadError,
  parseContact,
  parseConversation,
  parseConversationsEvent,
  parseFileData,
  parseGroup,
  parseLimits,
  parseLinkStatus,
  parseMessage,
  parseMessagePage,
  parseMessagesEvent,
  parseProfile,
  parseReceivers,
  parseSearchHit,
  parseTypingEvent,
  parseVoid,
} from './types';

const receiver = { type: 'group', id: 'abc' };
const link = { state: 'locked', since: 1, world: 'external', pairingCode: '', remembered: true, locked: true, phone: 'ABCDEFGH', error: '' };
const msg = {
  id: 'm1',
  receiver,
  type: 'text',
  outgoing: false,
  sender: 'ECHOECHO',
  text: 'hi',
  date: 1,
  sortKey: 1,
  state: 'delivered',
  unread: true,
  quote: null,
  file: null,
  location: null,
  reactions: [{ emoji: '👍', identities: ['ECHOECHO'] }],
  edited: 0,
  sent: 0,
  delivered: 2000,
  read: 0,
};
const file = { name: 'a.png', size: 10, mime: 'image/png', thumbnail: true, width: 4, height: 3 };
const contact = {
  id: 'ECHOECHO',
  name: 'Echo',
  nickname: '',
  firstName: '',
  lastName: '',
  verificationLevel: 2,
  publicKey: 'ff',
  fingerprint: 'ab cd',
  state: 'ACTIVE',
  blocked: false,
  color: '#123456',
};
const group = { id: 'g', name: 'G', members: ['ECHOECHO'], administrator: 'ECHOECHO', left: false, color: '' };
const conv = {
  receiver,
  name: 'G',
  color: '',
  avatar: '',
  unreadCount: 2,
  pinned: true,
  muted: false,
  lastMessage: msg,
  lastActivity: 5,
};

describe('parsers', () => {
  it.each([
    ['LinkStatus', parseLinkStatus, link, true],
    ['LinkStatus without world', parseLinkStatus, { ...link, world: undefined }, false],
    ['LinkStatus bad state', parseLinkStatus, { ...link, state: 'exploded' }, false],
    ['LinkStatus bad world', parseLinkStatus, { ...link, world: 'mars' }, false],
    ['LinkStatus since NaN', parseLinkStatus, { ...link, since: Number.NaN }, false],
    ['Message', parseMessage, msg, true],
    ['Message with quote, file, location', parseMessage, { ...msg, quote: { identity: 'X', text: 't', messageId: 'q' }, file, location: { lat: 1, lon: 2, description: '' } }, true],
    ['Message missing nullable field', parseMessage, { ...msg, quote: undefined }, true],
    ['Message bad file', parseMessage, { ...msg, file: { ...file, size: '10' } }, false],
    ['Message bad receiver type', parseMessage, { ...msg, receiver: { type: 'channel', id: 'x' } }, false],
    ['Message unread not bool', parseMessage, { ...msg, unread: 1 }, false],
    ['Contact', parseContact, contact, true],
    ['Contact level not number', parseContact, { ...contact, verificationLevel: '3' }, false],
    ['Group', parseGroup, group, true],
    ['Group null members', parseGroup, { ...group, members: null }, false],
    ['Group member not string', parseGroup, { ...group, members: [1] }, false],
    ['Receivers', parseReceivers, { contacts: [contact], groups: [group], distributionLists: [] }, true],
    ['Receivers missing lists', parseReceivers, { contacts: [], groups: [] }, false],
    ['Conversation', parseConversation, conv, true],
    ['Conversation no last message', parseConversation, { ...conv, lastMessage: null }, true],
    ['Conversation bad last message', parseConversation, { ...conv, lastMessage: { id: 1 } }, false],
    ['MessagePage', parseMessagePage, { messages: [msg], more: false }, true],
    ['MessagePage null messages', parseMessagePage, { messages: null, more: false }, false],
    ['Profile', parseProfile, { identity: 'A', nickname: '', publicKey: '', fingerprint: '', avatar: '' }, true],
    ['Limits', parseLimits, { maxTextBytes: 7000, maxFileBytes: 1e8 }, true],
    ['Limits missing', parseLimits, { maxTextBytes: 7000 }, false],
    ['FileData', parseFileData, { name: 'a', mime: 'b', data: '' }, true],
    ['SearchHit', parseSearchHit, { message: msg, name: 'n', snippet: '«hi»' }, true],
    ['SearchHit bad message', parseSearchHit, { message: null, name: 'n', snippet: '' }, false],
    ['MessagesEvent', parseMessagesEvent, { receiver, messages: [msg], removed: ['x'], incoming: true }, true],
    ['MessagesEvent null removed', parseMessagesEvent, { receiver, messages: [], removed: null, incoming: false }, false],
    ['ConversationsEvent', parseConversationsEvent, { conversations: [conv], replace: true }, true],
    ['ConversationsEvent no replace', parseConversationsEvent, { conversations: [] }, false],
    ['TypingEvent', parseTypingEvent, { receiver, typing: true }, true],
    ['TypingEvent typing string', parseTypingEvent, { receiver, typing: 'yes' }, false],
    ['void', parseVoid, null, true],
    ['void with a value', parseVoid, { a: 1 }, false],
  ] as const)('%s', (_name, parse, value, ok) => {
    if (ok) expect(() => (parse as (v: unknown) => unknown)(value)).not.toThrow();
    else expect(() => (parse as (v: unknown) => unknown)(value)).toThrow(PayloadError);
  });

  it('keeps pointer fields null and drops unknown fields', () => {
    expect(parseMessage({ ...msg, extra: 1, quote: undefined })).toEqual(msg);
  });

  it('reads canEdit and anyReaction as true only when Go says so', () => {
    expect(parseLimits({ maxTextBytes: 7000, maxFileBytes: 1e8, anyReaction: true, canEdit: true })).toEqual({
      maxTextBytes: 7000,
      maxFileBytes: 1e8,
      anyReaction: true,
      canEdit: true,
    });
    expect(parseLimits({ maxTextBytes: 7000, maxFileBytes: 1e8, canEdit: 'yes' }).canEdit).toBe(false);
  });

  it('reads a message cached before reactions, edits and times as having none', () => {
    const { reactions: _r, edited: _e, sent: _s, delivered: _d, read: _rd, ...old } = msg;
    expect(parseMessage(old)).toEqual({ ...msg, reactions: [], edited: 0, sent: 0, delivered: 0, read: 0 });
    expect(() => parseMessage({ ...msg, delivered: 'soon' })).toThrow();
    expect(() => parseMessage({ ...msg, reactions: [{ emoji: 1 }] })).toThrow();
  });
});

describe('api over a fake Go', () => {
  it('calls every method with positional arguments', async () => {
    const go = new FakeGo();
    const api = createApi(go);
    const r = { type: 'contact' as const, id: 'ECHOECHO' };
    await api.chat.messages(r, 'm9', 50);
    await api.chat.sendText(r, 'hi', 'q1');
    await api.chat.setTyping(r, true);
    await api.link.startPairing({ remember: true, password: 'pw' });
    await api.people.createGroup('G', ['A']);
    await api.chat.editMessage(r, 'm9', 'fixed');
    await api.chat.deleteForEveryone(r, 'm9');
    expect(go.callsOf(Methods.chatMessages)).toEqual([[r, 'm9', 50]]);
    expect(go.callsOf(Methods.chatSendText)).toEqual([[r, 'hi', 'q1']]);
    expect(go.callsOf(Methods.chatSetTyping)).toEqual([[r, true]]);
    expect(go.callsOf(Methods.linkStartPairing)).toEqual([[{ remember: true, password: 'pw' }]]);
    expect(go.callsOf(Methods.peopleCreateGroup)).toEqual([['G', ['A']]]);
    expect(go.callsOf(Methods.chatEditMessage)).toEqual([[r, 'm9', 'fixed']]);
    expect(go.callsOf(Methods.chatDeleteForEveryone)).toEqual([[r, 'm9']]);
  });

  it('names only Service.Method pairs', () => {
    for (const m of Object.values(Methods)) expect(m).toMatch(/^[A-Z]\w+Service\.[A-Z]\w+$/);
  });
});
