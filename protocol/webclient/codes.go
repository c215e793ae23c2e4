package webclient

import (
	"errors"
	"fmt"
)

// ErrorCode is an error string carried in ack.error or args.error (§2.2; AND
// Protocol.java ERROR_*).
type ErrorCode string

// The error strings of §2.2, and Kurier's own after them.
const (
	CodeInternalError           ErrorCode = "internalError"
	CodeBadRequest              ErrorCode = "badRequest"
	CodeDisabledByPolicy        ErrorCode = "disabledByPolicy"
	CodeInvalidIdentity         ErrorCode = "invalidIdentity"
	CodeInvalidContact          ErrorCode = "invalidContact"
	CodeInvalidGroup            ErrorCode = "invalidGroup"
	CodeInvalidDistributionList ErrorCode = "invalidDistributionList"
	CodeInvalidConversation     ErrorCode = "invalidConversation"
	CodeNotAllowedLinked        ErrorCode = "notAllowedLinked"
	CodeNotAllowedBusiness      ErrorCode = "notAllowedBusiness"
	CodeSyncFailed              ErrorCode = "syncFailed"
	CodeNotAllowed              ErrorCode = "notAllowed"
	CodeNoMembers               ErrorCode = "noMembers"
	CodeAlreadyLeft             ErrorCode = "alreadyLeft"
	CodeInvalidAvatar           ErrorCode = "invalidAvatar"
	CodeBlobDownloadFailed      ErrorCode = "blobDownloadFailed"
	CodeBlobDecryptFailed       ErrorCode = "blobDecryptFailed"
	CodeInvalidMessage          ErrorCode = "invalidMessage"
	CodeValueTooLong            ErrorCode = "valueTooLong"
	CodeBlocked                 ErrorCode = "blocked"
	// CodeUnsupportedByRecipient is Kurier's own code (not in §2.2): the
	// recipient's app cannot show the change (its feature mask lacks edit
	// 0x100 or delete 0x200), so the phone made none. Only Kurier's
	// request/editMessage and request/deleteMessageForEveryone answer with it.
	CodeUnsupportedByRecipient ErrorCode = "unsupportedByRecipient"
	// CodeMessageTooOld is Kurier's own code (not in §2.2): the message was
	// sent too long ago to be edited or deleted for everyone (6 hours, as in
	// the Threema apps); nothing was changed. Only Kurier's
	// request/editMessage and request/deleteMessageForEveryone answer with it.
	CodeMessageTooOld ErrorCode = "messageTooOld"
)

// Wire error sentinels, one per ErrorCode; CodeToError and ErrorToCode convert.
var (
	// ErrInternal is the wire error internalError.
	ErrInternal = errors.New("webclient: internalError")
	// ErrBadRequest is the wire error badRequest.
	ErrBadRequest = errors.New("webclient: badRequest")
	// ErrDisabledByPolicy is the wire error disabledByPolicy.
	ErrDisabledByPolicy = errors.New("webclient: disabledByPolicy")
	// ErrInvalidIdentity is the wire error invalidIdentity.
	ErrInvalidIdentity = errors.New("webclient: invalidIdentity")
	// ErrInvalidContact is the wire error invalidContact.
	ErrInvalidContact = errors.New("webclient: invalidContact")
	// ErrInvalidGroup is the wire error invalidGroup.
	ErrInvalidGroup = errors.New("webclient: invalidGroup")
	// ErrInvalidDistributionList is the wire error invalidDistributionList.
	ErrInvalidDistributionList = errors.New("webclient: invalidDistributionList")
	// ErrInvalidConversation is the wire error invalidConversation.
	ErrInvalidConversation = errors.New("webclient: invalidConversation")
	// ErrNotAllowedLinked is the wire error notAllowedLinked.
	ErrNotAllowedLinked = errors.New("webclient: notAllowedLinked")
	// ErrNotAllowedBusiness is the wire error notAllowedBusiness.
	ErrNotAllowedBusiness = errors.New("webclient: notAllowedBusiness")
	// ErrSyncFailed is the wire error syncFailed.
	ErrSyncFailed = errors.New("webclient: syncFailed")
	// ErrNotAllowed is the wire error notAllowed.
	ErrNotAllowed = errors.New("webclient: notAllowed")
	// ErrNoMembers is the wire error noMembers.
	ErrNoMembers = errors.New("webclient: noMembers")
	// ErrAlreadyLeft is the wire error alreadyLeft.
	ErrAlreadyLeft = errors.New("webclient: alreadyLeft")
	// ErrInvalidAvatar is the wire error invalidAvatar.
	ErrInvalidAvatar = errors.New("webclient: invalidAvatar")
	// ErrBlobDownloadFailed is the wire error blobDownloadFailed.
	ErrBlobDownloadFailed = errors.New("webclient: blobDownloadFailed")
	// ErrBlobDecryptFailed is the wire error blobDecryptFailed.
	ErrBlobDecryptFailed = errors.New("webclient: blobDecryptFailed")
	// ErrInvalidMessage is the wire error invalidMessage.
	ErrInvalidMessage = errors.New("webclient: invalidMessage")
	// ErrValueTooLong is the wire error valueTooLong.
	ErrValueTooLong = errors.New("webclient: valueTooLong")
	// ErrBlocked is the wire error blocked.
	ErrBlocked = errors.New("webclient: blocked")
	// ErrUnsupportedByRecipient is Kurier's wire error unsupportedByRecipient.
	ErrUnsupportedByRecipient = errors.New("webclient: unsupportedByRecipient")
	// ErrMessageTooOld is Kurier's wire error messageTooOld.
	ErrMessageTooOld = errors.New("webclient: messageTooOld")
)

// codeTable pairs every wire error code with its sentinel, in the order of
// §2.2, then Kurier's own.
var codeTable = [...]struct {
	code ErrorCode
	err  error
}{
	{CodeInternalError, ErrInternal},
	{CodeBadRequest, ErrBadRequest},
	{CodeDisabledByPolicy, ErrDisabledByPolicy},
	{CodeInvalidIdentity, ErrInvalidIdentity},
	{CodeInvalidContact, ErrInvalidContact},
	{CodeInvalidGroup, ErrInvalidGroup},
	{CodeInvalidDistributionList, ErrInvalidDistributionList},
	{CodeInvalidConversation, ErrInvalidConversation},
	{CodeNotAllowedLinked, ErrNotAllowedLinked},
	{CodeNotAllowedBusiness, ErrNotAllowedBusiness},
	{CodeSyncFailed, ErrSyncFailed},
	{CodeNotAllowed, ErrNotAllowed},
	{CodeNoMembers, ErrNoMembers},
	{CodeAlreadyLeft, ErrAlreadyLeft},
	{CodeInvalidAvatar, ErrInvalidAvatar},
	{CodeBlobDownloadFailed, ErrBlobDownloadFailed},
	{CodeBlobDecryptFailed, ErrBlobDecryptFailed},
	{CodeInvalidMessage, ErrInvalidMessage},
	{CodeValueTooLong, ErrValueTooLong},
	{CodeBlocked, ErrBlocked},
	{CodeUnsupportedByRecipient, ErrUnsupportedByRecipient},
	{CodeMessageTooOld, ErrMessageTooOld},
}

// Valid reports whether c is one of the error strings of §2.2 or Kurier's.
func (c ErrorCode) Valid() bool {
	for _, e := range codeTable {
		if e.code == c {
			return true
		}
	}
	return false
}

// CodeToError returns the sentinel for a wire error code; an unknown code
// yields ErrInternal wrapped with the code's length (never its text).
func CodeToError(c ErrorCode) error {
	for _, e := range codeTable {
		if e.code == c {
			return e.err
		}
	}
	return fmt.Errorf("%w: unknown error code of %d bytes", ErrInternal, len(c))
}

// ErrorToCode returns the wire error code for err: the code of a wire
// sentinel it wraps, valueTooLong for ErrTooLong, badRequest for any decoding
// error of this package, invalidContact/invalidGroup/... are never guessed.
// Any other error, and nil, is internalError.
func ErrorToCode(err error) ErrorCode {
	if err == nil {
		return CodeInternalError
	}
	for _, e := range codeTable {
		if errors.Is(err, e.err) {
			return e.code
		}
	}
	switch {
	case errors.Is(err, ErrTooLong):
		return CodeValueTooLong
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrTooLarge), errors.Is(err, ErrEnvelope),
		errors.Is(err, ErrField), errors.Is(err, ErrReceiver), errors.Is(err, ErrUnknownMessage),
		errors.Is(err, ErrWrongMessage):
		return CodeBadRequest
	}
	return CodeInternalError
}
