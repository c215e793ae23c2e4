package phone

import (
	"sync"

	"github.com/kurier/kurier/phone/store"
)

// EventKind names what happened.
type EventKind string

// Event kinds.
const (
	// EventMessage: a new incoming message was stored (Message set).
	EventMessage EventKind = "message"
	// EventMessageState: an outgoing message changed state — sent, delivered,
	// read, failed — or a user ack arrived (Message set, State).
	EventMessageState EventKind = "message-state"
	// EventMessageEdited: a message was edited (Message set).
	EventMessageEdited EventKind = "message-edited"
	// EventMessageDeleted: a message was deleted (Message set).
	EventMessageDeleted EventKind = "message-deleted"
	// EventMessageReaction: the reactions to a message changed: a peer's or
	// the own reaction was applied or withdrawn (Message set, with its
	// reactions; Peer is who reacted, Emoji and Withdraw what).
	EventMessageReaction EventKind = "message-reaction"
	// EventTyping: a contact started or stopped typing (Peer, Typing).
	EventTyping EventKind = "typing"
	// EventContact: a contact was added or changed (Contact set).
	EventContact EventKind = "contact"
	// EventGroup: a group was created or changed (Group set).
	EventGroup EventKind = "group"
	// EventRejected: an incoming message was rejected (Peer, MessageID, Reason).
	EventRejected EventKind = "rejected"
	// EventAvatar: an avatar was set, replaced or removed (Conversation is
	// its key: a conversation key, or store.OwnAvatarKey for the own
	// profile picture); Phone.Avatar reads the new state.
	EventAvatar EventKind = "avatar"
)

// Event is one thing that happened on the phone. Which fields are set
// depends on Kind.
type Event struct {
	// Kind is what happened.
	Kind EventKind `json:"kind"`
	// Conversation is the conversation key concerned, if any.
	Conversation string `json:"conversation,omitempty"`
	// Peer is the other identity concerned, if any.
	Peer string `json:"peer,omitempty"`
	// MessageID is the E2E message id concerned, if any.
	MessageID uint64 `json:"message_id,omitempty"`
	// Message is the message concerned (EventMessage, EventMessageState, …).
	Message *store.Message `json:"message,omitempty"`
	// State is the new state (EventMessageState).
	State store.MessageState `json:"state,omitempty"`
	// UserAck is 3 (acknowledged) or 4 (declined) for a user ack (EventMessageState).
	UserAck int `json:"user_ack,omitempty"`
	// Emoji is the emoji applied or withdrawn (EventMessageReaction).
	Emoji string `json:"emoji,omitempty"`
	// Withdraw is true when Emoji was withdrawn (EventMessageReaction).
	Withdraw bool `json:"withdraw,omitempty"`
	// Typing is the typing state (EventTyping).
	Typing bool `json:"typing,omitempty"`
	// Contact is the contact concerned (EventContact).
	Contact *store.Contact `json:"contact,omitempty"`
	// Group is the group concerned (EventGroup).
	Group *store.Group `json:"group,omitempty"`
	// Reason is why a message was rejected (EventRejected): one of the
	// Reject* constants.
	Reason string `json:"reason,omitempty"`
}

// eventHub fans events out to subscribers.
type eventHub struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Event)
}

// Subscribe registers fn for every later event and returns the function
// that unsubscribes it. fn is called in event order from the phone's
// goroutines and must not block (hand the event to a channel or a queue);
// it must not call Subscribe or the cancel function.
func (p *Phone) Subscribe(fn func(Event)) (cancel func()) {
	h := &p.events
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[int]func(Event))
	}
	id := h.next
	h.next++
	h.subs[id] = fn
	return func() {
		h.mu.Lock()
		delete(h.subs, id)
		h.mu.Unlock()
	}
}

// emit delivers events to every subscriber, in order.
func (p *Phone) emit(evs ...Event) {
	h := &p.events
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range evs {
		for _, fn := range h.subs {
			fn(e)
		}
	}
}
