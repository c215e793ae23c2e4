// Saves a conversation's draft after the user stops typing for a moment,
// and at once when the conversation is left.

/** Writes one draft (ChatService.SetDraft). */
export type SaveDraft = (key: string, text: string) => Promise<void>;

/** Debounces draft saves per conversation key. */
export class DraftSaver {
  readonly #save: SaveDraft;
  readonly #delayMs: number;
  readonly #timers = new Map<string, { timer: ReturnType<typeof setTimeout>; text: string }>();

  constructor(save: SaveDraft, delayMs = 500) {
    this.#save = save;
    this.#delayMs = delayMs;
  }

  /** Schedules saving text as key's draft, replacing an earlier pending save. */
  change(key: string, text: string): void {
    const old = this.#timers.get(key);
    if (old) clearTimeout(old.timer);
    const timer = setTimeout(() => this.flush(key), this.#delayMs);
    this.#timers.set(key, { timer, text });
  }

  /** Saves key's pending draft now. */
  flush(key: string): void {
    const p = this.#timers.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    this.#timers.delete(key);
    this.#save(key, p.text).catch(() => {
      // A lost draft is not worth an error message; the next change retries.
    });
  }

  /** Forgets key's pending draft (after sending it). */
  cancel(key: string): void {
    const p = this.#timers.get(key);
    if (p) clearTimeout(p.timer);
    this.#timers.delete(key);
  }

  /** Saves every pending draft now. */
  flushAll(): void {
    for (const key of [...this.#timers.keys()]) this.flush(key);
  }
}
