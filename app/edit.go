package app

import (
	"errors"
	"fmt"
	"unicode/utf8"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// ErrEditNotSupported: the phone cannot edit or delete messages for
// everyone (it does not announce Kurier's capabilities.kurierEdits; a
// Threema phone has no such request on the Web protocol).
var ErrEditNotSupported = errors.New("the phone cannot edit or delete messages for everyone")

// EditMessage replaces the text of the user's own message (or the caption
// of an own file; an empty text removes a caption) in a 1:1 or group
// conversation, for everyone: the contact's phone, or every other member's
// whose app shows edits (the others keep the original, as with Threema).
// The phone pushes the message with its new text, marked edited. It fails
// with ErrEditNotSupported when the phone cannot edit; with the phone's
// unsupportedByRecipient when the contact's app, or every other member's,
// cannot show edits, and messageTooOld when the message is more than 6
// hours old (then nothing changed); a peer's message and a distribution
// list's are not allowed.
func (c *ChatService) EditMessage(r Receiver, messageID, text string) error {
	if err := r.validate(); err != nil {
		return err
	}
	lim, _ := c.Limits()
	if messageID == "" || len(messageID) > wc.MaxMessageIDLen || len(text) > lim.MaxTextBytes || !utf8.ValidString(text) {
		return fmt.Errorf("%w: an edit is a message id and up to %d bytes of UTF-8", ErrInvalid, lim.MaxTextBytes)
	}
	return c.askIf(lim.CanEdit, ErrEditNotSupported, wc.NewEditRequest("", wc.EditRequest{Receiver: r.wire(), MessageID: messageID, Text: text}))
}

// DeleteForEveryone deletes the user's own message in a 1:1 or group
// conversation for everyone; the phone pushes it as removed. Unlike Threema Web's
// delete, which removes a message from the phone only, the contact's app
// removes it too. Errors as for EditMessage (the receiving apps need the
// delete feature).
func (c *ChatService) DeleteForEveryone(r Receiver, messageID string) error {
	if err := r.validate(); err != nil {
		return err
	}
	if messageID == "" || len(messageID) > wc.MaxMessageIDLen {
		return fmt.Errorf("%w: no message to delete", ErrInvalid)
	}
	lim, _ := c.Limits()
	return c.askIf(lim.CanEdit, ErrEditNotSupported, wc.NewDeleteForEveryoneRequest("", wc.DeleteForEveryoneRequest{Receiver: r.wire(), MessageID: messageID}))
}
