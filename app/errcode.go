package app

import (
	"context"
	"errors"

	"github.com/kurier/kurier/app/phonelink"
	"github.com/kurier/kurier/app/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// ErrorCode names a kind of failure of a bound method, stable across
// releases: the UI maps it to a translated sentence that says what to do
// (frontend/src/lib/errors.ts), and shows the raw error text only in the
// console. Error strings are for logs; codes are for people.
type ErrorCode string

// The failure kinds the UI tells apart. CodeUnknown covers the rest.
const (
	// CodeNotConnected: the phone is not connected, or the link dropped during the call.
	CodeNotConnected ErrorCode = "notConnected"
	// CodeTimeout: the phone did not answer in time.
	CodeTimeout ErrorCode = "timeout"
	// CodeWrongPassword: the password does not unlock the remembered session.
	CodeWrongPassword ErrorCode = "wrongPassword"
	// CodeNoSession: nothing is remembered (or it is not locked).
	CodeNoSession ErrorCode = "noSession"
	// CodeInvalidInput: the phone or the app refused what was entered.
	CodeInvalidInput ErrorCode = "invalidInput"
	// CodeInvalidIdentity: the Threema ID does not exist or was revoked.
	CodeInvalidIdentity ErrorCode = "invalidIdentity"
	// CodeTooLong: a name or text is longer than the phone accepts.
	CodeTooLong ErrorCode = "tooLong"
	// CodeNotAllowed: the phone does not allow this (policy, a linked or business ID).
	CodeNotAllowed ErrorCode = "notAllowed"
	// CodeNotFound: the contact, group, list, conversation or message no longer exists.
	CodeNotFound ErrorCode = "notFound"
	// CodeNoMembers: a group or list needs at least one member.
	CodeNoMembers ErrorCode = "noMembers"
	// CodeAlreadyLeft: the user has already left the group.
	CodeAlreadyLeft ErrorCode = "alreadyLeft"
	// CodeBlocked: the contact is blocked on the phone.
	CodeBlocked ErrorCode = "blocked"
	// CodeInvalidAvatar: the phone could not use the picture.
	CodeInvalidAvatar ErrorCode = "invalidAvatar"
	// CodeFileUnavailable: the phone could not download or decrypt the file.
	CodeFileUnavailable ErrorCode = "fileUnavailable"
	// CodeOutboxFull: too much waits for the phone already (the outbox bounds).
	CodeOutboxFull ErrorCode = "outboxFull"
	// CodeReactionNotSupported: the phone takes only 👍 and 👎 as reactions.
	CodeReactionNotSupported ErrorCode = "reactionNotSupported"
	// CodeEditNotSupported: the phone cannot edit or delete messages for everyone.
	CodeEditNotSupported ErrorCode = "editNotSupported"
	// CodeUnsupportedByRecipient: the contact's app cannot show an edit or
	// a deletion, so the message was not changed.
	CodeUnsupportedByRecipient ErrorCode = "unsupportedByRecipient"
	// CodeMessageTooOld: the message was sent too long ago (6 hours) to be
	// edited or deleted for everyone.
	CodeMessageTooOld ErrorCode = "messageTooOld"
	// CodeCannotWrite: the file could not be written where the user chose to save it.
	CodeCannotWrite ErrorCode = "cannotWrite"
	// CodeUnknown: anything else; the UI says "something went wrong".
	CodeUnknown ErrorCode = "unknown"
)

// errorCodes pairs sentinels with their code; the first match wins.
var errorCodes = [...]struct {
	err  error
	code ErrorCode
}{
	{ErrNotConnected, CodeNotConnected},
	{phonelink.ErrClosed, CodeNotConnected},
	{phonelink.ErrDisconnected, CodeNotConnected},
	{context.DeadlineExceeded, CodeTimeout},
	{ErrWrongPassword, CodeWrongPassword},
	{ErrNoSession, CodeNoSession},
	{ErrInvalid, CodeInvalidInput},
	{ErrInvalidSetting, CodeInvalidInput},
	{wc.ErrBadRequest, CodeInvalidInput},
	{wc.ErrInvalidMessage, CodeInvalidInput},
	{wc.ErrInvalidIdentity, CodeInvalidIdentity},
	{wc.ErrInvalidContact, CodeInvalidIdentity},
	{wc.ErrValueTooLong, CodeTooLong},
	{wc.ErrTooLong, CodeTooLong},
	{wc.ErrNotAllowed, CodeNotAllowed},
	{wc.ErrNotAllowedLinked, CodeNotAllowed},
	{wc.ErrNotAllowedBusiness, CodeNotAllowed},
	{wc.ErrDisabledByPolicy, CodeNotAllowed},
	{wc.ErrInvalidGroup, CodeNotFound},
	{wc.ErrInvalidDistributionList, CodeNotFound},
	{wc.ErrInvalidConversation, CodeNotFound},
	{store.ErrNotFound, CodeNotFound},
	{wc.ErrNoMembers, CodeNoMembers},
	{wc.ErrAlreadyLeft, CodeAlreadyLeft},
	{wc.ErrBlocked, CodeBlocked},
	{wc.ErrInvalidAvatar, CodeInvalidAvatar},
	{wc.ErrBlobDownloadFailed, CodeFileUnavailable},
	{wc.ErrBlobDecryptFailed, CodeFileUnavailable},
	{ErrOutboxFull, CodeOutboxFull},
	{ErrReactionNotSupported, CodeReactionNotSupported},
	{ErrEditNotSupported, CodeEditNotSupported},
	{wc.ErrUnsupportedByRecipient, CodeUnsupportedByRecipient},
	{wc.ErrMessageTooOld, CodeMessageTooOld},
	{ErrCannotWrite, CodeCannotWrite},
}

// ErrorCodes lists every code, CodeUnknown last (the TypeScript mirror is checked against it).
func ErrorCodes() []ErrorCode {
	out := []ErrorCode{}
	seen := map[ErrorCode]bool{}
	for _, e := range errorCodes {
		if !seen[e.code] {
			seen[e.code] = true
			out = append(out, e.code)
		}
	}
	return append(out, CodeUnknown)
}

// CodeOf returns the code of the failure err wraps, CodeUnknown for any
// other error (and for nil).
func CodeOf(err error) ErrorCode {
	if err == nil {
		return CodeUnknown
	}
	for _, e := range errorCodes {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	return CodeUnknown
}

// CallError is how a failed bound call reaches the UI: the code it
// translates and the raw text it logs to the console. The window passes it
// through Wails' ErrorFormatter; web mode sends both in its reply frame.
type CallError struct {
	// Code is the failure kind.
	Code ErrorCode `json:"code"`
	// Message is the Go error text, for the console and bug reports only.
	Message string `json:"message"`
}

// DescribeError turns an error from a bound method into a CallError.
func DescribeError(err error) CallError {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return CallError{Code: CodeOf(err), Message: msg}
}
