// Tells the phone that the user is typing: "on" at most every interval while
// keys are pressed, "off" after interval of quiet or when the message is sent.

/** Sends a typing notification (ChatService.SetTyping). */
export type SendTyping = (typing: boolean) => void;

/** The throttle interval and idle timeout, in milliseconds. */
export const typingIntervalMs = 5000;

/** Throttles typing notifications for one conversation. */
export class TypingNotifier {
  readonly #send: SendTyping;
  readonly #now: () => number;
  readonly #intervalMs: number;
  #lastOn = -Infinity;
  #typing = false;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(send: SendTyping, now: () => number = Date.now, intervalMs = typingIntervalMs) {
    this.#send = send;
    this.#now = now;
    this.#intervalMs = intervalMs;
  }

  /** Records a keystroke. */
  input(): void {
    const now = this.#now();
    if (!this.#typing || now - this.#lastOn >= this.#intervalMs) {
      this.#typing = true;
      this.#lastOn = now;
      this.#send(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#intervalMs);
  }

  /** Ends typing (sent, idle, or conversation left). */
  stop(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (!this.#typing) return;
    this.#typing = false;
    this.#lastOn = -Infinity;
    this.#send(false);
  }
}
