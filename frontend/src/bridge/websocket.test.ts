import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError } from './transport';
import { WebSocketTransport } from './websocket';

// A stand-in for the browser's WebSocket: records what the transport sends
// and lets the test play the server's side.
class FakeSocket {
  static all: FakeSocket[] = [];
  readonly url: string;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;

  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.closed = true;
  }
  // Server side:
  open(): void {
    this.onopen?.();
  }
  reply(frame: object | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(): void {
    this.onclose?.();
  }
}

const latest = (): FakeSocket => {
  const s = FakeSocket.all.at(-1);
  if (!s) throw new Error('no socket');
  return s;
};

function transport(): WebSocketTransport {
  return new WebSocketTransport('ws://kurier.test/bridge', (u) => new FakeSocket(u) as unknown as WebSocket);
}

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WebSocketTransport', () => {
  it('queues calls until the socket opens, then matches replies by id', async () => {
    const t = transport();
    const a = t.call('SettingsService.Get', []);
    const b = t.call('SettingsService.SetTheme', ['dark']);
    const s = latest();
    expect(s.url).toBe('ws://kurier.test/bridge');
    expect(s.sent).toEqual([]);
    s.open();
    expect(s.sent).toEqual([
      { id: 1, method: 'SettingsService.Get', args: [] },
      { id: 2, method: 'SettingsService.SetTheme', args: ['dark'] },
    ]);
    s.reply({ id: 2, result: { theme: 'dark' } });
    s.reply({ id: 1, result: { theme: 'system' } });
    await expect(b).resolves.toEqual({ theme: 'dark' });
    await expect(a).resolves.toEqual({ theme: 'system' });
  });

  it('rejects with a BridgeError carrying the Go error', async () => {
    const t = transport();
    latest().open();
    const p = t.call('SettingsService.SetTheme', ['mauve']);
    latest().reply({ id: 1, error: 'app: invalid setting' });
    await expect(p).rejects.toThrow(BridgeError);
    await expect(p).rejects.toThrow('SettingsService.SetTheme: app: invalid setting');
  });

  it('carries the failure kind Go names, and its own when the connection drops', async () => {
    const t = transport();
    latest().open();
    const p = t.call('PeopleService.AddContact', ['NOPE0000']);
    latest().reply({ id: 1, error: 'phonelink: create/contact: webclient: invalidIdentity', code: 'invalidIdentity' });
    await expect(p).rejects.toMatchObject({ code: 'invalidIdentity' });
    const q = t.call('SettingsService.SetTheme', ['dark']);
    latest().reply({ id: 2, error: 'something new', code: 'fromTheFuture' });
    await expect(q).rejects.toMatchObject({ code: 'unknown' });
    const r = t.call('AboutService.Info', []);
    latest().drop();
    await expect(r).rejects.toMatchObject({ code: 'connectionLost' });
  });

  it('delivers events to every handler until unsubscribed', () => {
    const t = transport();
    latest().open();
    const seen: unknown[] = [];
    const off = t.on('link:status', (d) => seen.push(d));
    t.on('link:status', (d) => seen.push(['second', d]));
    latest().reply({ event: 'link:status', data: { state: 'connected' } });
    off();
    latest().reply({ event: 'link:status', data: { state: 'unpaired' } });
    latest().reply({ event: 'other', data: 1 });
    expect(seen).toEqual([{ state: 'connected' }, ['second', { state: 'connected' }], ['second', { state: 'unpaired' }]]);
  });

  it('ignores garbage and replies to unknown ids', async () => {
    const t = transport();
    latest().open();
    const p = t.call('AboutService.Info', []);
    for (const junk of ['not json', '42', 'null', '[]', JSON.stringify({ id: 99, result: 1 })]) {
      latest().reply(junk);
    }
    latest().reply({ id: 1, result: { name: 'Kurier' } });
    await expect(p).resolves.toEqual({ name: 'Kurier' });
  });

  it('fails sent calls on disconnect, keeps queued ones, and reconnects with back-off', async () => {
    const t = transport();
    const first = latest();
    first.open();
    const sent = t.call('SettingsService.Get', []);
    first.drop();
    await expect(sent).rejects.toThrow('connection lost');

    const queued = t.call('LinkService.Status', []);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(2);
    const second = latest();
    second.drop();
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    const third = latest();
    third.open();
    expect(third.sent).toEqual([{ id: 2, method: 'LinkService.Status', args: [] }]);
    third.reply({ id: 2, result: { state: 'unpaired', since: 1 } });
    await expect(queued).resolves.toEqual({ state: 'unpaired', since: 1 });
  });

  it('close() fails everything and stops reconnecting', async () => {
    const t = transport();
    const p = t.call('SettingsService.Get', []);
    t.close();
    await expect(p).rejects.toThrow('transport closed');
    await expect(t.call('SettingsService.Get', [])).rejects.toThrow('transport closed');
    latest().drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
