// The failure kinds of a bridge call (Go: app.ErrorCode, checked by
// app/errcode_test.go), and the two the transports add when Go is out of reach.

/** What Go says went wrong: the UI turns it into a translated sentence. */
export const errorCodes = [
  'notConnected',
  'timeout',
  'wrongPassword',
  'noSession',
  'invalidInput',
  'invalidIdentity',
  'tooLong',
  'notAllowed',
  'notFound',
  'noMembers',
  'alreadyLeft',
  'blocked',
  'invalidAvatar',
  'fileUnavailable',
  'outboxFull',
  'reactionNotSupported',
  'editNotSupported',
  'unsupportedByRecipient',
  'messageTooOld',
  'cannotWrite',
  'unknown',
] as const;

/** A failure kind from Go. */
export type GoErrorCode = (typeof errorCodes)[number];

/** Failures of the transport itself: Go was not reached, or the connection to it dropped during the call. */
export type TransportErrorCode = 'unreachable' | 'connectionLost';

/** Every failure kind a BridgeError can carry. */
export type ErrorCode = GoErrorCode | TransportErrorCode;

/** The code of a Go reply, 'unknown' when it is missing or not one the UI knows. */
export function goErrorCode(v: unknown): GoErrorCode {
  return (errorCodes as readonly unknown[]).includes(v) ? (v as GoErrorCode) : 'unknown';
}
