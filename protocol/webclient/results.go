package webclient

import (
	"errors"
	"fmt"
)

// The app answers create/update/delete of contacts, groups and lists with the
// same (type, subType), the result in ack or legacy args (success,
// temporaryId, error) and, on success, data {receiver: object} (AND
// CreateGroupHandler.java).

// newReceiverResult builds such a reply; obj is nil on failure.
func newReceiverResult(req WireMessage, obj map[string]any, err error) WireMessage {
	var data any
	if err == nil && obj != nil {
		data = map[string]any{"receiver": obj}
	}
	return Reply(req, req.Type, req.SubType, nil, data, err)
}

// receiverObject returns data.receiver of a successful reply.
func receiverObject(m WireMessage) (any, error) {
	d, err := dataOf(m, true)
	if err != nil {
		return nil, err
	}
	v, ok := d.get("receiver", true)
	if !ok {
		return nil, d.err
	}
	return v, nil
}

// DecodeResult decodes a reply that carries only a result: the Android
// app's response/confirmAction (its reply to every delete/*, update/profile,
// update/conversation and request/groupSync), or the same (type, subType)
// echoed with a result, as this codec's first version answered. A failure
// decodes without error: see Result.Err.
func DecodeResult(m WireMessage) (Result, error) {
	confirm := m.Type == TypeResponse && m.SubType == SubConfirmAction
	if !confirm && m.Type != TypeDelete && m.Type != TypeCreate && m.Type != TypeUpdate {
		return Result{}, fmt.Errorf("%w: want a create, update or delete reply", ErrWrongMessage)
	}
	r, err := ResultOf(m)
	if err != nil {
		return Result{}, fmt.Errorf("webclient: reply result: %w", err)
	}
	return r, nil
}

// NewResult builds a reply to req that carries only its result.
func NewResult(req WireMessage, err error) WireMessage {
	return Reply(req, req.Type, req.SubType, nil, nil, err)
}

// NewConfirmActionReply builds response/confirmAction answering req: the
// reply the Android app sends to delete/*, update/profile,
// update/conversation and request/groupSync (args {success, temporaryId,
// error?}, data {}). Threema Web has no dispatcher for a delete/* echo and
// would fail the user's action as unhandled.
func NewConfirmActionReply(req WireMessage, err error) WireMessage {
	return Reply(req, TypeResponse, SubConfirmAction, nil, map[string]any{}, err)
}

// ConfirmsAction reports whether the app answers a message of key k with
// response/confirmAction.
func ConfirmsAction(k Key) bool {
	switch {
	case k.Type == TypeDelete:
		return true
	case k.Type == TypeUpdate && (k.SubType == SubProfile || k.SubType == SubConversation):
		return true
	case k.Type == TypeRequest && k.SubType == SubGroupSync:
		return true
	}
	return false
}

// ContactResult is the app's reply to create/ or update/contact.
type ContactResult struct {
	Result  Result
	Contact *Contact // set on success
}

// NewContactResult builds the reply to create/ or update/contact.
func NewContactResult(req WireMessage, c *Contact, err error) WireMessage {
	var o map[string]any
	if c != nil {
		o = c.encode()
	}
	return newReceiverResult(req, o, err)
}

// DecodeContactResult decodes the reply to create/ or update/contact.
func DecodeContactResult(m WireMessage) (ContactResult, error) {
	if err := expectTypes(m, SubContact, TypeCreate, TypeUpdate); err != nil {
		return ContactResult{}, err
	}
	res, err := DecodeResult(m)
	if err != nil || !res.Success {
		return ContactResult{Result: res}, err
	}
	v, err := receiverObject(m)
	if err != nil {
		return ContactResult{}, fmt.Errorf("webclient: contact result: %w", err)
	}
	c, err := decodeContact(m.notes, "data.receiver", v)
	if err != nil {
		return ContactResult{}, fmt.Errorf("webclient: contact result: %w", err)
	}
	return ContactResult{Result: res, Contact: &c}, nil
}

// GroupResult is the app's reply to create/ or update/group.
type GroupResult struct {
	Result Result
	Group  *Group // set on success
}

// NewGroupResult builds the reply to create/ or update/group.
func NewGroupResult(req WireMessage, g *Group, err error) WireMessage {
	var o map[string]any
	if g != nil {
		o = g.encode()
	}
	return newReceiverResult(req, o, err)
}

// DecodeGroupResult decodes the reply to create/ or update/group.
func DecodeGroupResult(m WireMessage) (GroupResult, error) {
	if err := expectTypes(m, SubGroup, TypeCreate, TypeUpdate); err != nil {
		return GroupResult{}, err
	}
	res, err := DecodeResult(m)
	if err != nil || !res.Success {
		return GroupResult{Result: res}, err
	}
	v, err := receiverObject(m)
	if err != nil {
		return GroupResult{}, fmt.Errorf("webclient: group result: %w", err)
	}
	g, err := decodeGroup(m.notes, "data.receiver", v)
	if err != nil {
		return GroupResult{}, fmt.Errorf("webclient: group result: %w", err)
	}
	return GroupResult{Result: res, Group: &g}, nil
}

// DistributionListResult is the app's reply to create/ or update/distributionList.
type DistributionListResult struct {
	Result           Result
	DistributionList *DistributionList // set on success
}

// NewDistributionListResult builds the reply to create/ or update/distributionList.
func NewDistributionListResult(req WireMessage, l *DistributionList, err error) WireMessage {
	var o map[string]any
	if l != nil {
		o = l.encode()
	}
	return newReceiverResult(req, o, err)
}

// DecodeDistributionListResult decodes the reply to create/ or update/distributionList.
func DecodeDistributionListResult(m WireMessage) (DistributionListResult, error) {
	if err := expectTypes(m, SubDistributionList, TypeCreate, TypeUpdate); err != nil {
		return DistributionListResult{}, err
	}
	res, err := DecodeResult(m)
	if err != nil || !res.Success {
		return DistributionListResult{Result: res}, err
	}
	v, err := receiverObject(m)
	if err != nil {
		return DistributionListResult{}, fmt.Errorf("webclient: distribution list result: %w", err)
	}
	l, err := decodeDistributionList(m.notes, "data.receiver", v)
	if err != nil {
		return DistributionListResult{}, fmt.Errorf("webclient: distribution list result: %w", err)
	}
	return DistributionListResult{Result: res, DistributionList: &l}, nil
}

// DecodeResultOnly reads only the result of a reply whose payload Kurier
// does not use (response/contactDetail: the Android app's address-book
// details of a contact).
func DecodeResultOnly(m WireMessage) (Result, error) {
	r, err := ResultOf(m)
	if errors.Is(err, ErrNoResult) {
		return Result{Success: true}, nil
	}
	if err != nil {
		return Result{}, fmt.Errorf("webclient: reply result: %w", err)
	}
	return r, nil
}

// DecodeIgnored accepts a message whose content Kurier does not use
// (update/voipStatus) and returns its key.
func DecodeIgnored(m WireMessage) (Key, error) {
	return Key{m.Type, m.SubType}, nil
}
