// Receivers as map keys: "<type>:<id>", the form the UI and tests use.
import type { Receiver } from '../bridge/types';

/** The key of a receiver, e.g. "contact:ECHOECHO". */
export function receiverKey(r: Receiver): string {
  return `${r.type}:${r.id}`;
}

/** Reports whether a and b name the same receiver. */
export function sameReceiver(a: Receiver | undefined, b: Receiver | undefined): boolean {
  return a !== undefined && b !== undefined && a.type === b.type && a.id === b.id;
}

/** The receiver of a key made by receiverKey, or undefined if it is malformed. */
export function receiverFromKey(key: string): Receiver | undefined {
  const i = key.indexOf(':');
  const type = key.slice(0, i);
  if (i < 0 || (type !== 'contact' && type !== 'group' && type !== 'distributionList')) return undefined;
  return { type, id: key.slice(i + 1) };
}
