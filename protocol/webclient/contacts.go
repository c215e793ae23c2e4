package webclient

import "fmt"

// ContactCreate is create/contact: args {identity} (§2.4).
type ContactCreate struct {
	Identity string
}

// NewContactCreate builds create/contact; temporaryID (may be empty) is the
// legacy correlation the app echoes.
//
// The identity travels in data, as Threema Web sends it and the Android app
// reads it (args carries only temporaryId).
func NewContactCreate(id, temporaryID string, c ContactCreate) WireMessage {
	a := set{}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeCreate, SubType: SubContact, ID: id, Args: a, Data: map[string]any{"identity": c.Identity}}
}

func identityArg(m WireMessage) (string, *obj, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return "", nil, err
	}
	s := a.str("identity", true, 8)
	if a.err != nil {
		return "", nil, a.err
	}
	if !ValidIdentity(s) {
		return "", nil, fmt.Errorf("%w: args.identity is not a Threema ID", ErrInvalidIdentity)
	}
	return s, a, nil
}

// DecodeContactCreate decodes create/contact.
func DecodeContactCreate(m WireMessage) (ContactCreate, error) {
	if err := expect(m, TypeCreate, SubContact); err != nil {
		return ContactCreate{}, err
	}
	// data.identity is what Threema Web sends; args.identity (this codec's
	// first version) is read too.
	if d, err := dataOf(m, false); err == nil {
		if s := d.str("identity", false, 64); s != "" || d.err != nil {
			if d.err != nil {
				return ContactCreate{}, fmt.Errorf("webclient: contact create: %w", d.err)
			}
			if !ValidIdentity(s) {
				return ContactCreate{}, fmt.Errorf("%w: data.identity is not a Threema ID", ErrInvalidIdentity)
			}
			return ContactCreate{Identity: s}, nil
		}
	}
	s, _, err := identityArg(m)
	if err != nil {
		return ContactCreate{}, fmt.Errorf("webclient: contact create: %w", err)
	}
	return ContactCreate{Identity: s}, nil
}

// ContactUpdate is update/contact: args {identity}, data {firstName?,
// lastName?, avatar?}. A nil field is unchanged; an empty name clears it.
type ContactUpdate struct {
	Identity  string
	FirstName *string
	LastName  *string
	Avatar    []byte
}

// NewContactUpdate builds update/contact.
func NewContactUpdate(id, temporaryID string, u ContactUpdate) WireMessage {
	a := set{"identity": u.Identity}
	a.maybeStr("temporaryId", temporaryID)
	d := set{}
	if u.FirstName != nil {
		d["firstName"] = *u.FirstName
	}
	if u.LastName != nil {
		d["lastName"] = *u.LastName
	}
	d.maybeBin("avatar", u.Avatar)
	return WireMessage{Type: TypeUpdate, SubType: SubContact, ID: id, Args: a, Data: map[string]any(d)}
}

// nameField reads an optional name of update/contact: a nil value clears
// the name, as the Android app reads it.
func (o *obj) nameField(key string) *string {
	if o.isNil(key) {
		empty := ""
		return &empty
	}
	return o.optStr(key, MaxNameBytes)
}

// DecodeContactUpdate decodes update/contact; names are at most 256 bytes.
func DecodeContactUpdate(m WireMessage) (ContactUpdate, error) {
	if err := expect(m, TypeUpdate, SubContact); err != nil {
		return ContactUpdate{}, err
	}
	s, _, err := identityArg(m)
	if err != nil {
		return ContactUpdate{}, fmt.Errorf("webclient: contact update: %w", err)
	}
	d, err := dataOf(m, false)
	if err != nil {
		return ContactUpdate{}, fmt.Errorf("webclient: contact update: %w", err)
	}
	u := ContactUpdate{Identity: s, FirstName: d.nameField("firstName"),
		LastName: d.nameField("lastName"), Avatar: d.bin("avatar", false, MaxAvatarBytes)}
	if d.err != nil {
		return ContactUpdate{}, fmt.Errorf("webclient: contact update: %w", d.err)
	}
	return u, nil
}

// ContactDetailRequest is request/contactDetail: args {identity}.
type ContactDetailRequest struct {
	Identity string
}

// NewContactDetailRequest builds request/contactDetail.
func NewContactDetailRequest(id string, r ContactDetailRequest) WireMessage {
	return WireMessage{Type: TypeRequest, SubType: SubContactDetail, ID: id, Args: map[string]any{"identity": r.Identity}}
}

// DecodeContactDetailRequest decodes request/contactDetail.
func DecodeContactDetailRequest(m WireMessage) (ContactDetailRequest, error) {
	if err := expect(m, TypeRequest, SubContactDetail); err != nil {
		return ContactDetailRequest{}, err
	}
	s, _, err := identityArg(m)
	if err != nil {
		return ContactDetailRequest{}, fmt.Errorf("webclient: contact detail: %w", err)
	}
	return ContactDetailRequest{Identity: s}, nil
}

// NewContactDetail builds response/contactDetail answering req, as the
// Android app does: args {identity} (with the request's correlation), data
// {receiver: {systemContact: {phoneNumbers: [], emails: []}}} — a virtual
// phone has no address book, so both lists are empty — or, on failure,
// {receiver: nil}.
func NewContactDetail(req WireMessage, identity string, err error) WireMessage {
	var receiver any
	if err == nil {
		receiver = map[string]any{"systemContact": map[string]any{"phoneNumbers": []any{}, "emails": []any{}}}
	}
	return Reply(req, TypeResponse, SubContactDetail, map[string]any{"identity": identity}, map[string]any{"receiver": receiver}, err)
}
