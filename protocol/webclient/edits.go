package webclient

import "fmt"

// Edit and delete for everyone on the Web protocol (docs/phone.md
// "Reactions, edits and deletions on the Web protocol"). The app presents a
// peer's edit as lastEditedAt in the message object and a deletion as
// update/messages mode removed, but Threema Web cannot ask for either: its
// delete/message deletes on the phone only. Kurier adds two requests of its
// own, request/editMessage and request/deleteMessageForEveryone, for the
// user's own messages; an app announces them with capabilities.kurierEdits.
// deleteMessageForEveryone is named so that it cannot be taken for Threema
// Web's delete/message, which removes the message from the phone alone.

// Kurier's edit and delete-for-everyone requests and their replies (not in
// Threema's catalogue).
const (
	// SubEditMessage is request/editMessage and its reply response/editMessage.
	SubEditMessage SubType = "editMessage"
	// SubDeleteForEveryone is request/deleteMessageForEveryone and its reply
	// response/deleteMessageForEveryone.
	SubDeleteForEveryone SubType = "deleteMessageForEveryone"
)

// EditRequest is Kurier's request/editMessage: replace the text (or a
// file's caption) of an own message. args {type, id, messageId} (messageId
// is the app's message id, as in request/reaction; a number is read too),
// data {text: string (0..MaxTextBytes bytes of UTF-8, required; empty only
// removes a caption)}. Send it with an id and the same args.temporaryId; the
// app answers with response/editMessage (EditResult) and pushes the message
// as update/messages mode modified, with its new body and lastEditedAt.
type EditRequest struct {
	Receiver  Receiver
	MessageID string
	Text      string
}

// NewEditRequest builds request/editMessage with the correlation id.
func NewEditRequest(id string, r EditRequest) WireMessage {
	a := set{"messageId": r.MessageID}
	r.Receiver.put(a)
	return WireMessage{Type: TypeRequest, SubType: SubEditMessage, ID: id, Args: a, Data: map[string]any{"text": r.Text}}
}

// DecodeEditRequest decodes request/editMessage.
func DecodeEditRequest(m WireMessage) (EditRequest, error) {
	if err := expect(m, TypeRequest, SubEditMessage); err != nil {
		return EditRequest{}, err
	}
	rcv, id, err := messageArgs(m)
	if err != nil {
		return EditRequest{}, fmt.Errorf("webclient: edit request: %w", err)
	}
	d, err := dataOf(m, true)
	if err != nil {
		return EditRequest{}, fmt.Errorf("webclient: edit request: %w", err)
	}
	r := EditRequest{Receiver: rcv, MessageID: id, Text: d.str("text", true, MaxTextBytes)}
	if d.err != nil {
		return EditRequest{}, fmt.Errorf("webclient: edit request: %w", d.err)
	}
	return r, nil
}

// DeleteForEveryoneRequest is Kurier's request/deleteMessageForEveryone:
// delete an own message for both sides. args {type, id, messageId}, no
// data (any is ignored). The app answers with
// response/deleteMessageForEveryone (EditResult) and pushes the message as
// update/messages mode removed.
type DeleteForEveryoneRequest struct {
	Receiver  Receiver
	MessageID string
}

// NewDeleteForEveryoneRequest builds request/deleteMessageForEveryone with
// the correlation id.
func NewDeleteForEveryoneRequest(id string, r DeleteForEveryoneRequest) WireMessage {
	a := set{"messageId": r.MessageID}
	r.Receiver.put(a)
	return WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone, ID: id, Args: a}
}

// DecodeDeleteForEveryoneRequest decodes request/deleteMessageForEveryone.
func DecodeDeleteForEveryoneRequest(m WireMessage) (DeleteForEveryoneRequest, error) {
	if err := expect(m, TypeRequest, SubDeleteForEveryone); err != nil {
		return DeleteForEveryoneRequest{}, err
	}
	rcv, id, err := messageArgs(m)
	if err != nil {
		return DeleteForEveryoneRequest{}, fmt.Errorf("webclient: delete for everyone request: %w", err)
	}
	return DeleteForEveryoneRequest{Receiver: rcv, MessageID: id}, nil
}

// messageArgs reads the required args {type, id, messageId} of a request
// about one message.
func messageArgs(m WireMessage) (Receiver, string, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return Receiver{}, "", err
	}
	id := refID(a, "messageId")
	if a.err != nil {
		return Receiver{}, "", a.err
	}
	r, err := receiverFrom(a)
	if err != nil {
		return Receiver{}, "", err
	}
	return r, id, nil
}

// EditResult is response/editMessage or response/deleteMessageForEveryone,
// the app's answer: ack {id, success, error?} and args {type, id,
// messageId} plus the legacy temporaryId/success/error of Reply; no data.
// A recipient whose app cannot show the change fails with
// unsupportedByRecipient (ErrUnsupportedByRecipient).
type EditResult struct {
	// SubType is SubEditMessage or SubDeleteForEveryone.
	SubType   SubType
	Receiver  Receiver
	MessageID string
	Result    Result
}

// NewEditResult builds the reply to req (request/editMessage or
// request/deleteMessageForEveryone; err nil: success).
func NewEditResult(req WireMessage, r Receiver, messageID string, err error) WireMessage {
	a := set{"messageId": messageID}
	r.put(a)
	return Reply(req, TypeResponse, req.SubType, a, nil, err)
}

// DecodeEditResult decodes response/editMessage and
// response/deleteMessageForEveryone. A failure decodes without error: see
// Result.Err. The receiver and messageId are read when present (an error
// reply built without them has neither).
func DecodeEditResult(m WireMessage) (EditResult, error) {
	if err := expect(m, TypeResponse, SubEditMessage, SubDeleteForEveryone); err != nil {
		return EditResult{}, err
	}
	res, err := ResultOf(m)
	if err != nil {
		return EditResult{}, fmt.Errorf("webclient: edit result: %w", err)
	}
	out := EditResult{SubType: m.SubType, Result: res}
	a, err := argsOf(m, false)
	if err != nil {
		return EditResult{}, fmt.Errorf("webclient: edit result: %w", err)
	}
	if a.has("type") || a.has("id") {
		if out.Receiver, err = receiverFrom(a); err != nil {
			return EditResult{}, fmt.Errorf("webclient: edit result: %w", err)
		}
	}
	if a.has("messageId") {
		out.MessageID = refID(a, "messageId")
	}
	if a.err != nil {
		return EditResult{}, fmt.Errorf("webclient: edit result: %w", a.err)
	}
	return out, nil
}
