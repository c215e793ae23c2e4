package webclient

import "fmt"

// Typing is update/typing: args {id} (the contact's identity), data {isTyping}.
// The web sends it for its own typing in a contact chat; the app sends it for
// the contact's.
type Typing struct {
	Identity string
	IsTyping bool
}

// NewTyping builds update/typing.
func NewTyping(t Typing) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubTyping, Args: map[string]any{"id": t.Identity},
		Data: map[string]any{"isTyping": t.IsTyping}}
}

// DecodeTyping decodes update/typing.
func DecodeTyping(m WireMessage) (Typing, error) {
	if err := expect(m, TypeUpdate, SubTyping); err != nil {
		return Typing{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return Typing{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return Typing{}, err
	}
	t := Typing{Identity: a.str("id", true, 8), IsTyping: d.boolean("isTyping", true)}
	if a.err != nil {
		return Typing{}, fmt.Errorf("webclient: typing: %w", a.err)
	}
	if d.err != nil {
		return Typing{}, fmt.Errorf("webclient: typing: %w", d.err)
	}
	if !ValidIdentity(t.Identity) {
		return Typing{}, fmt.Errorf("%w: typing id is not a Threema ID", ErrReceiver)
	}
	return t, nil
}

// ReceiverOnly is the payload of messages that carry only a receiver in
// args {type, id}: update/activeConversation and delete/cleanReceiverConversation.
type ReceiverOnly struct {
	Key      Key
	Receiver Receiver
}

// NewActiveConversation builds update/activeConversation.
func NewActiveConversation(r Receiver) WireMessage {
	a := set{}
	r.put(a)
	return WireMessage{Type: TypeUpdate, SubType: SubActiveConversation, Args: a}
}

// NewCleanReceiverConversation builds delete/cleanReceiverConversation.
func NewCleanReceiverConversation(id string, r Receiver) WireMessage {
	a := set{}
	r.put(a)
	return WireMessage{Type: TypeDelete, SubType: SubCleanReceiverConversation, ID: id, Args: a}
}

func decodeReceiverOnly(m WireMessage) (ReceiverOnly, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return ReceiverOnly{}, err
	}
	r, err := receiverFrom(a)
	if err != nil {
		return ReceiverOnly{}, fmt.Errorf("webclient: %s: %w", m.SubType, err)
	}
	return ReceiverOnly{Key: Key{m.Type, m.SubType}, Receiver: r}, nil
}

// DecodeActiveConversation decodes update/activeConversation.
func DecodeActiveConversation(m WireMessage) (ReceiverOnly, error) {
	if err := expect(m, TypeUpdate, SubActiveConversation); err != nil {
		return ReceiverOnly{}, err
	}
	return decodeReceiverOnly(m)
}

// DecodeCleanReceiverConversation decodes delete/cleanReceiverConversation.
func DecodeCleanReceiverConversation(m WireMessage) (ReceiverOnly, error) {
	if err := expect(m, TypeDelete, SubCleanReceiverConversation); err != nil {
		return ReceiverOnly{}, err
	}
	return decodeReceiverOnly(m)
}

// BatteryStatus is update/batteryStatus: data {percent: 0..100 or nil, isCharging}
// (WEB threema.d.ts BatteryStatus).
type BatteryStatus struct {
	Percent    *uint8 // nil: unknown
	IsCharging bool
}

// NewBatteryStatus builds update/batteryStatus (also the answer to request/batteryStatus).
func NewBatteryStatus(b BatteryStatus) WireMessage {
	d := map[string]any{"percent": nil, "isCharging": b.IsCharging}
	if b.Percent != nil {
		d["percent"] = *b.Percent
	}
	return WireMessage{Type: TypeUpdate, SubType: SubBatteryStatus, Data: d}
}

// DecodeBatteryStatus decodes update/batteryStatus.
func DecodeBatteryStatus(m WireMessage) (BatteryStatus, error) {
	if err := expect(m, TypeUpdate, SubBatteryStatus); err != nil {
		return BatteryStatus{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return BatteryStatus{}, err
	}
	b := BatteryStatus{IsCharging: d.boolean("isCharging", true)}
	if _, ok := d.get("percent", false); ok {
		p := uint8(d.uint("percent", true, 100))
		b.Percent = &p
	}
	if d.err != nil {
		return BatteryStatus{}, fmt.Errorf("webclient: batteryStatus: %w", d.err)
	}
	return b, nil
}

// Alert is update/alert: args {source, type}, data {message} (WEB threema.d.ts
// Alert). Message is text for the user; keep it out of logs.
type Alert struct {
	Source  string
	Type    string // e.g. "error", "info"
	Message string
}

// NewAlert builds update/alert.
func NewAlert(al Alert) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubAlert, Args: map[string]any{"source": al.Source, "type": al.Type},
		Data: map[string]any{"message": al.Message}}
}

// DecodeAlert decodes update/alert.
func DecodeAlert(m WireMessage) (Alert, error) {
	if err := expect(m, TypeUpdate, SubAlert); err != nil {
		return Alert{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return Alert{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return Alert{}, err
	}
	al := Alert{Source: a.str("source", true, 64), Type: a.str("type", true, 64), Message: d.str("message", true, 4096)}
	if a.err != nil {
		return Alert{}, fmt.Errorf("webclient: alert: %w", a.err)
	}
	if d.err != nil {
		return Alert{}, fmt.Errorf("webclient: alert: %w", d.err)
	}
	return al, nil
}

// ConfirmAction is update/confirmAction (§2.4 update/confirm). Its args are
// not specified in §2.4; this codec reads an optional args.id naming the
// request it concerns and ignores the rest.
type ConfirmAction struct {
	ID string
}

// NewConfirmAction builds update/confirmAction.
func NewConfirmAction(c ConfirmAction) WireMessage {
	return WireMessage{Type: TypeUpdate, SubType: SubConfirmAction, Args: map[string]any{"id": c.ID}}
}

// DecodeConfirmAction decodes update/confirmAction.
func DecodeConfirmAction(m WireMessage) (ConfirmAction, error) {
	if err := expect(m, TypeUpdate, SubConfirmAction); err != nil {
		return ConfirmAction{}, err
	}
	a, err := argsOf(m, false)
	if err != nil {
		return ConfirmAction{}, err
	}
	c := ConfirmAction{ID: a.str("id", false, 64)}
	if a.err != nil {
		return ConfirmAction{}, fmt.Errorf("webclient: confirmAction: %w", a.err)
	}
	return c, nil
}
