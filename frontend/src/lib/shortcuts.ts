// Global keyboard shortcuts, matched from key events to commands.

/** What a shortcut does. */
export type Command = 'quickSwitcher' | 'search' | 'previous' | 'next' | 'close' | 'help';

/** The shortcuts for the help overlay: keys and the command. */
export const shortcutList: readonly { keys: string; command: Command }[] = [
  { keys: 'Ctrl+K', command: 'quickSwitcher' },
  { keys: 'Ctrl+F', command: 'search' },
  { keys: 'Alt+↑', command: 'previous' },
  { keys: 'Alt+↓', command: 'next' },
  { keys: 'Esc', command: 'close' },
  { keys: '? / F1', command: 'help' },
];

/** The key event's fields that shortcuts look at. */
export type KeyInfo = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** The command for a key event, if any. "?" counts only outside text fields. */
export function commandFor(e: KeyInfo, inTextField: boolean): Command | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.altKey && key === 'k') return 'quickSwitcher';
  if (mod && !e.altKey && key === 'f') return 'search';
  if (e.altKey && !mod && e.key === 'ArrowUp') return 'previous';
  if (e.altKey && !mod && e.key === 'ArrowDown') return 'next';
  if (e.key === 'Escape') return 'close';
  if (e.key === 'F1') return 'help';
  if (e.key === '?' && !mod && !e.altKey && !inTextField) return 'help';
  return undefined;
}

/** Reports whether an element takes text input (so "?" types a question mark). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}
