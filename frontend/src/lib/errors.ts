// Failed bridge calls as people read them: a translated sentence chosen by
// the failure's code (Go: app.ErrorCode) that says what to do. The raw error
// text goes to the console only, never onto the screen.
import { BridgeError, type ErrorCode } from '../bridge';
import type { MessageKey, Translate } from '../i18n';

/** The failure kind of err: a BridgeError's code, else 'unknown'. */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof BridgeError ? err.code : 'unknown';
}

/** Sentences that fit a particular action better than the general one of a code. */
export type ErrorOverrides = Partial<Record<ErrorCode, MessageKey>>;

/** The translated sentence for a failed call. */
export function errorSentence(t: Translate, err: unknown, overrides: ErrorOverrides = {}): string {
  const code = errorCode(err);
  return t(overrides[code] ?? `error.${code}`);
}

/** Writes the raw error of a failed action to the console (for bug reports). */
export function logError(action: string, err: unknown): void {
  console.warn(`kurier: ${action} failed:`, err);
}

/** Logs a failed action and returns the sentence to show for it. */
export function explain(t: Translate, action: string, err: unknown, overrides: ErrorOverrides = {}): string {
  logError(action, err);
  return errorSentence(t, err, overrides);
}
