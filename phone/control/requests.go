package control

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/kurier/kurier/protocol/csp"
)

// maxBody bounds a request body: a file message carries its content in
// base64.
const maxBody = 70 << 20

// ContactRequest is the body of POST /v1/contacts.
type ContactRequest struct {
	// ID is the identity to add.
	ID string `json:"id"`
}

// ContactNameRequest is the body of PATCH /v1/contacts/{id}: the name the
// user gives the contact, in the two parts the Threema apps keep. A part
// left out stays as it is; "" clears it. At least one part is given.
type ContactNameRequest struct {
	// FirstName is the first name (at most 256 bytes).
	FirstName *string `json:"first_name,omitempty"`
	// LastName is the last name (at most 256 bytes).
	LastName *string `json:"last_name,omitempty"`
}

// ReactionRequest is the body of POST
// /v1/conversations/{id}/messages/{mid}/reactions: apply (or withdraw) the
// own emoji reaction.
type ReactionRequest struct {
	// Emoji is the emoji sequence (1..64 bytes of UTF-8).
	Emoji string `json:"emoji"`
	// Withdraw withdraws the reaction instead of applying it.
	Withdraw bool `json:"withdraw,omitempty"`
}

// GroupRef names a group: its creator and the creator's group id.
type GroupRef struct {
	// Creator is the creator's identity.
	Creator string `json:"creator"`
	// ID is the group id as 16 hex characters.
	ID string `json:"id"`
}

// FileRequest is a file inside a MessageRequest.
type FileRequest struct {
	// Name is the file name.
	Name string `json:"name"`
	// MIME is the media type.
	MIME string `json:"mime"`
	// Data is the content, base64 (standard encoding).
	Data string `json:"data"`
	// Caption is an optional caption.
	Caption string `json:"caption,omitempty"`
	// Duration is an audio file's length in seconds (optional; sent as
	// the message's "x.d").
	Duration float64 `json:"duration,omitempty"`
}

// MessageRequest is the body of POST /v1/messages: exactly one of To and
// Group, and exactly one of Text and File.
type MessageRequest struct {
	// To is the receiver of a 1:1 message.
	To string `json:"to,omitempty"`
	// Group is the group of a group message.
	Group *GroupRef `json:"group,omitempty"`
	// Text is the text (1..6000 bytes).
	Text string `json:"text,omitempty"`
	// File is the file.
	File *FileRequest `json:"file,omitempty"`
}

// GroupRequest is the body of POST /v1/groups.
type GroupRequest struct {
	// Name is the group's name.
	Name string `json:"name"`
	// Members are the members other than self.
	Members []string `json:"members"`
}

// decode reads one JSON value into v strictly: unknown fields and trailing
// data are refused.
func decode(r io.Reader, v any) error {
	dec := json.NewDecoder(io.LimitReader(r, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data", ErrBadRequest)
	}
	return nil
}

func checkID(s string) error {
	if _, err := csp.ParseID(s); err != nil {
		return fmt.Errorf("%w: identity", ErrBadRequest)
	}
	return nil
}

// decodeContact decodes and validates a ContactRequest.
func decodeContact(b []byte) (ContactRequest, error) {
	var req ContactRequest
	if err := decode(bytes.NewReader(b), &req); err != nil {
		return req, err
	}
	return req, checkID(req.ID)
}

// decodeContactName decodes a ContactNameRequest; the phone checks the
// names themselves.
func decodeContactName(b []byte) (ContactNameRequest, error) {
	var req ContactNameRequest
	if err := decode(bytes.NewReader(b), &req); err != nil {
		return req, err
	}
	if req.FirstName == nil && req.LastName == nil {
		return req, fmt.Errorf("%w: give first_name, last_name or both", ErrBadRequest)
	}
	return req, nil
}

// maxDuration bounds an audio file's stated length (seconds): a day.
const maxDuration = 24 * 60 * 60

// decodeMessage decodes and validates a MessageRequest; it returns the
// file's content decoded.
func decodeMessage(b []byte) (MessageRequest, []byte, error) {
	var req MessageRequest
	if err := decode(bytes.NewReader(b), &req); err != nil {
		return req, nil, err
	}
	if (req.To == "") == (req.Group == nil) {
		return req, nil, fmt.Errorf("%w: give either to or group", ErrBadRequest)
	}
	if (req.Text == "") == (req.File == nil) {
		return req, nil, fmt.Errorf("%w: give either text or file", ErrBadRequest)
	}
	if req.To != "" {
		if err := checkID(req.To); err != nil {
			return req, nil, err
		}
	} else if err := checkID(req.Group.Creator); err != nil {
		return req, nil, err
	} else if _, err := parseGroupID(req.Group.ID); err != nil {
		return req, nil, err
	}
	var data []byte
	if req.File != nil {
		var err error
		if data, err = base64.StdEncoding.DecodeString(req.File.Data); err != nil || len(data) == 0 {
			return req, nil, fmt.Errorf("%w: file data", ErrBadRequest)
		}
		if req.File.Duration < 0 || req.File.Duration > maxDuration {
			return req, nil, fmt.Errorf("%w: file duration", ErrBadRequest)
		}
	}
	return req, data, nil
}

// decodeGroup decodes and validates a GroupRequest.
func decodeGroup(b []byte) (GroupRequest, error) {
	var req GroupRequest
	if err := decode(bytes.NewReader(b), &req); err != nil {
		return req, err
	}
	for _, m := range req.Members {
		if err := checkID(m); err != nil {
			return req, err
		}
	}
	return req, nil
}

// parseGroupID reads a group id of 16 hex characters.
func parseGroupID(s string) (uint64, error) {
	if len(s) != 16 {
		return 0, fmt.Errorf("%w: group id must be 16 hex characters", ErrBadRequest)
	}
	id, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: group id", ErrBadRequest)
	}
	return id, nil
}
