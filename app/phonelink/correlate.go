package phonelink

import (
	wc "github.com/kurier/kurier/protocol/webclient"
)

// waiter is a request waiting for its reply.
type waiter struct {
	reply chan wc.WireMessage
	// subType and receiver describe the request, for replies that carry no
	// correlation at all (see match).
	subType  wc.SubType
	receiver [2]string // args.type, args.id when the request had them
	order    uint64    // when it was sent
	untagged bool      // sent without an id: its reply comes without correlation
}

// withoutID reports whether Threema Web sends request kind st without an
// id on the WebRTC task (its requiresTemporaryIdBackwardsCompatibility): the
// Android app answers those with no correlation, and the reply is matched
// by its kind. Every other request carries an id and the same
// args.temporaryId, which the Android app echoes (it never sends ack).
func withoutID(m wc.WireMessage) bool {
	if m.Type != wc.TypeRequest {
		return false
	}
	switch m.SubType {
	case wc.SubClientInfo, wc.SubReceivers, wc.SubConversations, wc.SubBatteryStatus, wc.SubProfile,
		wc.SubMessages, wc.SubRead, wc.SubAck, wc.SubKeyPersisted:
		return true
	}
	return false
}

// receiverArgs reads args.type and args.id as strings (empty when absent).
func receiverArgs(m wc.WireMessage) [2]string {
	t, _ := m.Args["type"].(string)
	id, _ := m.Args["id"].(string)
	return [2]string{t, id}
}

// match finds the waiter a reply belongs to and removes it from pending:
// by ack.id (Kurier's phone, the iOS app), else by args.temporaryId (the
// Android app), else — for a response without any correlation — the
// oldest waiting request of the same subType whose receiver matches the
// reply's (the Android app answers request/messages with args {type, id}).
// It returns nil for a message that answers no request. Call with c.mu held.
func (c *Conn) match(m wc.WireMessage) *waiter {
	if m.Ack != nil {
		return c.take(m.Ack.ID)
	}
	if tmp, ok := m.Args["temporaryId"].(string); ok && tmp != "" {
		return c.take(tmp)
	}
	if m.Type != wc.TypeResponse {
		return nil
	}
	rcv := receiverArgs(m)
	var best string
	var bw *waiter
	for id, w := range c.pending {
		if w.subType != m.SubType || !w.untagged {
			continue
		}
		if w.receiver[0] != "" && rcv[0] != "" && w.receiver != rcv {
			continue
		}
		if bw == nil || w.order < bw.order {
			best, bw = id, w
		}
	}
	if bw == nil {
		return nil
	}
	return c.take(best)
}

func (c *Conn) take(id string) *waiter {
	w := c.pending[id]
	delete(c.pending, id)
	return w
}
