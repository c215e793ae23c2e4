// Desktop notifications for incoming messages: whether to show one, what it
// says, how it is shown (OS via Go in the window, the browser's API on the
// web) and the optional beep.
import type { Conversation, Message, Notification as Note, Settings } from '../bridge/types';

/** Reports whether an incoming message should raise a notification. */
export function shouldNotify(settings: Settings, focused: boolean, conversation: Conversation | undefined): boolean {
  return settings.notifications && !focused && !(conversation?.muted ?? false);
}

/**
 * The notification for message: with preview, the conversation (or sender)
 * and the message's summary (summaryOf), after the member who wrote it in a
 * group (member, its name: "Bob: see you"); without, generic text.
 */
export function notificationFor(
  settings: Settings,
  appName: string,
  generic: string,
  conversationName: string,
  message: Message,
  summary: string,
  member = '',
): Note {
  if (!settings.preview) return { title: appName, body: generic };
  const text = summary.trim() || generic;
  const body = member ? `${member}: ${text}` : text;
  return { title: conversationName || message.sender, body: body.length > 200 ? `${body.slice(0, 199)}…` : body };
}

/** Shows a notification with the browser's Notification API, asking permission the first time. */
export async function showBrowserNotification(n: Note): Promise<void> {
  const N = globalThis.Notification;
  if (N === undefined) return;
  let permission = N.permission;
  if (permission === 'default') permission = await N.requestPermission();
  if (permission === 'granted') new N(n.title, { body: n.body });
}

let audio: AudioContext | undefined;

/** Plays a short, quiet beep. */
export function beep(): void {
  const Ctx = globalThis.AudioContext;
  if (Ctx === undefined) return;
  try {
    audio ??= new Ctx();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.2);
  } catch {
    // No audio output: stay silent.
  }
}

/** How long the phone may be unreachable before a notification says so (as app.DefaultUnreachableNotice). */
export const unreachableNoticeMs = 30_000;

/**
 * Watches the link state and says, through show, when the phone has been
 * unreachable for more than delayMs and when it is back. Go does this itself
 * in the window; the browser tab uses this.
 */
export class LinkNotices {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #told = false;
  #wasConnected = false;

  constructor(
    private readonly show: (what: 'lost' | 'back') => void,
    private readonly delayMs = unreachableNoticeMs,
  ) {}

  /** Feeds the current link state. */
  update(state: string): void {
    if (state === 'connected') {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      if (this.#told) this.show('back');
      this.#told = false;
      this.#wasConnected = true;
      return;
    }
    if (state === 'disconnected' && this.#wasConnected && this.#timer === undefined && !this.#told) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#told = true;
        this.show('lost');
      }, this.delayMs);
    }
    if (state === 'unpaired' || state === 'locked') {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#told = false;
      this.#wasConnected = false;
    }
  }

  /** Stops the timer. */
  stop(): void {
    clearTimeout(this.#timer);
  }
}
