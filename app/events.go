package app

import (
	"sort"
	"sync"
)

// Event names pushed from Go to the UI. They are mirrored, with the same
// values, in frontend/src/bridge/events.ts; a test keeps the two in step.
const (
	// EventSettingsChanged carries the new Settings after any preference changes.
	EventSettingsChanged = "settings:changed"
	// EventLinkStatus carries the LinkStatus whenever the link to the phone changes state.
	EventLinkStatus = "link:status"
	// EventConversationsChanged carries a ConversationsEvent.
	EventConversationsChanged = "conversations:changed"
	// EventMessagesChanged carries a MessagesEvent.
	EventMessagesChanged = "messages:changed"
	// EventReceiversChanged carries the full Receivers.
	EventReceiversChanged = "receivers:changed"
	// EventProfileChanged carries the Profile.
	EventProfileChanged = "profile:changed"
	// EventTyping carries a TypingEvent.
	EventTyping = "typing"
	// EventConversationPrefsChanged carries every ConversationPrefs after one changed.
	EventConversationPrefsChanged = "conversation-prefs:changed"
)

// EventNames lists every event the UI may receive, sorted.
func EventNames() []string {
	names := []string{EventSettingsChanged, EventLinkStatus, EventConversationsChanged, EventMessagesChanged,
		EventReceiversChanged, EventProfileChanged, EventTyping, EventConversationPrefsChanged}
	sort.Strings(names)
	return names
}

// Event is one notification for the UI.
type Event struct {
	// Name is one of the Event* constants.
	Name string
	// Data is the payload, a named struct serialised to JSON.
	Data any
}

// Hub fans events out to the connected UIs: the Wails window and every web
// mode tab. Subscribers are called synchronously and must not block; a slow
// consumer buffers or drops on its own side.
type Hub struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Event)
}

// NewHub returns a hub with no subscribers.
func NewHub() *Hub {
	return &Hub{subs: make(map[int]func(Event))}
}

// Subscribe registers fn for every later event and returns a function that
// removes it again.
func (h *Hub) Subscribe(fn func(Event)) (unsubscribe func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.next
	h.next++
	h.subs[id] = fn
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, id)
	}
}

// Publish delivers an event to every subscriber.
func (h *Hub) Publish(name string, data any) {
	h.mu.Lock()
	fns := make([]func(Event), 0, len(h.subs))
	for _, fn := range h.subs {
		fns = append(fns, fn)
	}
	h.mu.Unlock()
	ev := Event{Name: name, Data: data}
	for _, fn := range fns {
		fn(ev)
	}
}
