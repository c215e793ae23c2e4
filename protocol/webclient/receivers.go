package webclient

import (
	"fmt"
	"math"
)

// Byte and count limits of §2.4 (AND Protocol.java LIMIT_BYTES_*).
const (
	MaxNicknameBytes  = 32
	MaxNameBytes      = 256 // first name, last name, group name, list name
	MaxDisplayName    = 512
	MaxMembers        = 256
	maxReceiversCount = 100000
)

// Mode is args.mode of an update (§2.4).
type Mode string

// The update modes of §2.4.
const (
	ModeNew      Mode = "new"
	ModeModified Mode = "modified"
	ModeRemoved  Mode = "removed"
)

// ReceiverAccess is a receiver's permissions object (WEB threema.d.ts *ReceiverAccess).
type ReceiverAccess struct {
	CanDelete          bool
	CanChangeAvatar    bool
	CanChangeFirstName bool
	CanChangeLastName  bool
	CanChangeName      bool
	CanChangeMembers   bool
	CanLeave           bool
	CanSync            bool
}

var accessKeys = [...]string{"canDelete", "canChangeAvatar", "canChangeFirstName", "canChangeLastName",
	"canChangeName", "canChangeMembers", "canLeave", "canSync"}

func (a *ReceiverAccess) flags() [len(accessKeys)]*bool {
	return [...]*bool{&a.CanDelete, &a.CanChangeAvatar, &a.CanChangeFirstName, &a.CanChangeLastName,
		&a.CanChangeName, &a.CanChangeMembers, &a.CanLeave, &a.CanSync}
}

func (a ReceiverAccess) encode() map[string]any {
	s := set{}
	for i, f := range a.flags() {
		s.maybeTrue(accessKeys[i], *f)
	}
	return s
}

func decodeAccess(o *obj) ReceiverAccess {
	var a ReceiverAccess
	acc := o.sub("access", false)
	if acc == nil {
		return a
	}
	for i, f := range a.flags() {
		*f = acc.boolean(accessKeys[i], false)
	}
	if acc.err != nil && o.err == nil {
		o.err = acc.err
	}
	return a
}

// ReceiverBase holds the fields every receiver object has.
type ReceiverBase struct {
	ID          string
	DisplayName string
	Color       string // "#RRGGBB"
	Access      ReceiverAccess
	Locked      bool
	Visible     bool
}

func (b ReceiverBase) encode() set {
	return set{"id": b.ID, "displayName": b.DisplayName, "color": b.Color, "access": b.Access.encode(),
		"locked": b.Locked, "visible": b.Visible}
}

func decodeBase(o *obj) ReceiverBase {
	return ReceiverBase{
		ID:          o.str("id", true, 64),
		DisplayName: o.str("displayName", true, MaxDisplayName),
		Color:       o.str("color", false, 16),
		Access:      decodeAccess(o),
		Locked:      o.boolean("locked", false),
		Visible:     o.boolean("visible", false) || !o.has("visible"), // absent: visible (the Android app leaves it out unless false)
	}
}

// Contact is a contact receiver object (WEB threema.d.ts ContactReceiver; AND converter/Contact.java).
type Contact struct {
	ReceiverBase
	PublicNickname    string
	FirstName         string
	LastName          string
	VerificationLevel uint8  // 1..3
	State             string // ACTIVE, INACTIVE or INVALID
	FeatureMask       uint64
	Hidden            bool
	PublicKey         []byte // 32 bytes
	IsWork            bool
	IdentityType      uint8 // 0 regular, 1 work
	IsBlocked         bool
}

func (c Contact) encode() map[string]any {
	s := c.ReceiverBase.encode()
	s.maybeStr("publicNickname", c.PublicNickname)
	s.maybeStr("firstName", c.FirstName)
	s.maybeStr("lastName", c.LastName)
	s["verificationLevel"] = c.VerificationLevel
	s["state"] = c.State
	s["featureMask"] = c.FeatureMask
	s["hidden"] = c.Hidden
	s["publicKey"] = c.PublicKey
	s.maybeTrue("isWork", c.IsWork)
	s["identityType"] = c.IdentityType
	s["isBlocked"] = c.IsBlocked
	return s
}

func decodeContact(n *notes, where string, v any) (Contact, error) {
	o, err := asObj(where, v, true, n)
	if err != nil {
		return Contact{}, err
	}
	c := Contact{
		ReceiverBase: decodeBase(o),
		// A peer's nickname as the app stored it: not bounded by our own
		// nickname's 32 bytes (the Android app does not cut what it receives).
		PublicNickname:    o.str("publicNickname", false, MaxNameBytes),
		FirstName:         o.str("firstName", false, MaxNameBytes),
		LastName:          o.str("lastName", false, MaxNameBytes),
		VerificationLevel: uint8(o.uint("verificationLevel", false, 3)),
		State:             o.oneOf("state", true, "ACTIVE", "INACTIVE", "INVALID"),
		FeatureMask:       o.uint("featureMask", false, math.MaxUint64),
		Hidden:            o.boolean("hidden", false),
		PublicKey:         o.bin("publicKey", true, 32),
		IsWork:            o.boolean("isWork", false),
		IdentityType:      uint8(o.uint("identityType", false, 1)),
		IsBlocked:         o.boolean("isBlocked", false),
	}
	if o.err != nil {
		return Contact{}, o.err
	}
	if !ValidIdentity(c.ID) {
		return Contact{}, fmt.Errorf("%w: %s.id is not a Threema ID", ErrField, where)
	}
	if len(c.PublicKey) != 32 {
		return Contact{}, fmt.Errorf("%w: %s.publicKey of %d bytes", ErrField, where, len(c.PublicKey))
	}
	return c, nil
}

// Group is a group receiver object (WEB threema.d.ts GroupReceiver; AND converter/Group.java).
type Group struct {
	ReceiverBase
	Disabled      bool
	Members       []string
	Administrator string
	CreatedAt     int64 // Unix seconds; 0: not sent
}

func (g Group) encode() map[string]any {
	s := g.ReceiverBase.encode()
	s["disabled"] = g.Disabled
	s["members"] = nonNil(g.Members)
	s["administrator"] = g.Administrator
	if g.CreatedAt != 0 {
		s["createdAt"] = g.CreatedAt
	}
	return s
}

func decodeGroup(n *notes, where string, v any) (Group, error) {
	o, err := asObj(where, v, true, n)
	if err != nil {
		return Group{}, err
	}
	g := Group{
		ReceiverBase:  decodeBase(o),
		Disabled:      o.boolean("disabled", false),
		Members:       o.identities("members", true, MaxMembers),
		Administrator: o.str("administrator", true, 8),
		CreatedAt:     o.int("createdAt", false),
	}
	if o.err != nil {
		return Group{}, o.err
	}
	if !validLocalID(g.ID) || !ValidIdentity(g.Administrator) {
		return Group{}, fmt.Errorf("%w: %s id or administrator", ErrField, where)
	}
	return g, nil
}

// DistributionList is a distribution list receiver object (WEB threema.d.ts DistributionListReceiver).
type DistributionList struct {
	ReceiverBase
	Members []string
}

func (l DistributionList) encode() map[string]any {
	s := l.ReceiverBase.encode()
	s["members"] = nonNil(l.Members)
	return s
}

func decodeDistributionList(n *notes, where string, v any) (DistributionList, error) {
	o, err := asObj(where, v, true, n)
	if err != nil {
		return DistributionList{}, err
	}
	l := DistributionList{ReceiverBase: decodeBase(o), Members: o.identities("members", true, MaxMembers)}
	if o.err != nil {
		return DistributionList{}, o.err
	}
	if !validLocalID(l.ID) {
		return DistributionList{}, fmt.Errorf("%w: %s.id", ErrField, where)
	}
	return l, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Receivers is response/receivers: data {contact: [...], group: [...], distributionList: [...]}.
type Receivers struct {
	Contacts          []Contact
	Groups            []Group
	DistributionLists []DistributionList
}

// NewReceivers builds response/receivers answering req.
func NewReceivers(req WireMessage, r Receivers) WireMessage {
	cs := make([]any, 0, len(r.Contacts))
	for _, c := range r.Contacts {
		cs = append(cs, c.encode())
	}
	gs := make([]any, 0, len(r.Groups))
	for _, g := range r.Groups {
		gs = append(gs, g.encode())
	}
	ls := make([]any, 0, len(r.DistributionLists))
	for _, l := range r.DistributionLists {
		ls = append(ls, l.encode())
	}
	d := map[string]any{"contact": cs, "group": gs, "distributionList": ls}
	return Reply(req, TypeResponse, SubReceivers, nil, d, nil)
}

func decodeList[T any](d *obj, key string, dec func(*notes, string, any) (T, error)) ([]T, error) {
	a := d.array(key, false, maxReceiversCount)
	if d.err != nil {
		return nil, d.err
	}
	out := make([]T, 0, len(a))
	for i, v := range a {
		x, err := dec(d.notes, fmt.Sprintf("data.%s[%d]", key, i), v)
		if err != nil {
			// One odd receiver must not hide the others.
			d.notes.add(fmt.Sprintf("data.%s[%d] skipped: %v", key, i, err))
			continue
		}
		out = append(out, x)
	}
	return out, nil
}

// DecodeReceivers decodes response/receivers.
func DecodeReceivers(m WireMessage) (Receivers, error) {
	if err := expect(m, TypeResponse, SubReceivers); err != nil {
		return Receivers{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return Receivers{}, err
	}
	var r Receivers
	if r.Contacts, err = decodeList(d, "contact", decodeContact); err != nil {
		return Receivers{}, fmt.Errorf("webclient: receivers: %w", err)
	}
	if r.Groups, err = decodeList(d, "group", decodeGroup); err != nil {
		return Receivers{}, fmt.Errorf("webclient: receivers: %w", err)
	}
	if r.DistributionLists, err = decodeList(d, "distributionList", decodeDistributionList); err != nil {
		return Receivers{}, fmt.Errorf("webclient: receivers: %w", err)
	}
	return r, nil
}

// ReceiverUpdate is update/receiver: args {type, id, mode}, data the receiver
// object of that type (absent for mode removed). Exactly one of Contact,
// Group, DistributionList is set unless the mode is removed.
type ReceiverUpdate struct {
	Receiver         Receiver
	Mode             Mode
	Contact          *Contact
	Group            *Group
	DistributionList *DistributionList
}

// NewReceiverUpdate builds update/receiver.
func NewReceiverUpdate(u ReceiverUpdate) WireMessage {
	args := set{"mode": string(u.Mode)}
	u.Receiver.put(args)
	m := WireMessage{Type: TypeUpdate, SubType: SubReceiver, Args: args}
	switch {
	case u.Contact != nil:
		m.Data = u.Contact.encode()
	case u.Group != nil:
		m.Data = u.Group.encode()
	case u.DistributionList != nil:
		m.Data = u.DistributionList.encode()
	}
	return m
}

func decodeMode(a *obj) Mode {
	return Mode(a.oneOf("mode", true, string(ModeNew), string(ModeModified), string(ModeRemoved)))
}

// DecodeReceiverUpdate decodes update/receiver.
func DecodeReceiverUpdate(m WireMessage) (ReceiverUpdate, error) {
	if err := expect(m, TypeUpdate, SubReceiver); err != nil {
		return ReceiverUpdate{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ReceiverUpdate{}, err
	}
	u := ReceiverUpdate{Mode: decodeMode(a)}
	if u.Receiver, err = receiverFrom(a); err != nil {
		return ReceiverUpdate{}, fmt.Errorf("webclient: receiver update: %w", err)
	}
	if u.Mode == ModeRemoved {
		// The Android app sends only {id} for a removed contact or group;
		// args already say which receiver is gone.
		return u, nil
	}
	switch u.Receiver.Type {
	case ReceiverContact, ReceiverMe:
		c, err := decodeContact(m.notes, "data", m.Data)
		if err != nil {
			return ReceiverUpdate{}, fmt.Errorf("webclient: receiver update: %w", err)
		}
		u.Contact = &c
	case ReceiverGroup:
		g, err := decodeGroup(m.notes, "data", m.Data)
		if err != nil {
			return ReceiverUpdate{}, fmt.Errorf("webclient: receiver update: %w", err)
		}
		u.Group = &g
	case ReceiverDistributionList:
		l, err := decodeDistributionList(m.notes, "data", m.Data)
		if err != nil {
			return ReceiverUpdate{}, fmt.Errorf("webclient: receiver update: %w", err)
		}
		u.DistributionList = &l
	}
	return u, nil
}

// ReceiversUpdate is update/receivers: args {type}, data the full list of
// that receiver type, replacing the cached one.
type ReceiversUpdate struct {
	Type              ReceiverType
	Contacts          []Contact
	Groups            []Group
	DistributionLists []DistributionList
}

// NewReceiversUpdate builds update/receivers.
func NewReceiversUpdate(u ReceiversUpdate) WireMessage {
	list := []any{}
	switch u.Type {
	case ReceiverContact:
		for _, c := range u.Contacts {
			list = append(list, c.encode())
		}
	case ReceiverGroup:
		for _, g := range u.Groups {
			list = append(list, g.encode())
		}
	case ReceiverDistributionList:
		for _, l := range u.DistributionLists {
			list = append(list, l.encode())
		}
	}
	return WireMessage{Type: TypeUpdate, SubType: SubReceivers, Args: map[string]any{"type": string(u.Type)}, Data: list}
}

// DecodeReceiversUpdate decodes update/receivers.
func DecodeReceiversUpdate(m WireMessage) (ReceiversUpdate, error) {
	if err := expect(m, TypeUpdate, SubReceivers); err != nil {
		return ReceiversUpdate{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ReceiversUpdate{}, err
	}
	u := ReceiversUpdate{Type: ReceiverType(a.oneOf("type", true, "contact", "group", "distributionList"))}
	if a.err != nil {
		return ReceiversUpdate{}, fmt.Errorf("webclient: receivers update: %w", a.err)
	}
	d := &obj{where: "message", m: map[string]any{"data": m.Data}, notes: m.notes}
	switch u.Type {
	case ReceiverContact:
		u.Contacts, err = decodeList(d, "data", decodeContact)
	case ReceiverGroup:
		u.Groups, err = decodeList(d, "data", decodeGroup)
	default:
		u.DistributionLists, err = decodeList(d, "data", decodeDistributionList)
	}
	if err != nil {
		return ReceiversUpdate{}, fmt.Errorf("webclient: receivers update: %w", err)
	}
	return u, nil
}
