package saltyrtc

import (
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Event is something the client state machine reports to its driver.
type Event interface{ isEvent() }

// EventServerAuthenticated reports that the server handshake completed (§1.4).
type EventServerAuthenticated struct {
	// Address is our address on the path.
	Address Address
	// Responders are the responders already on the path (initiator only).
	Responders []Address
	// InitiatorConnected tells whether an initiator is on the path (responder only).
	InitiatorConnected bool
}

// EventNewResponder reports that a responder joined the path (initiator only, §1.5).
type EventNewResponder struct{ ID Address }

// EventResponderDropped reports that we asked the server to drop a responder (initiator only, §1.6).
type EventResponderDropped struct {
	ID     Address
	Reason CloseCode
}

// EventNewInitiator reports that a new initiator joined; the peer handshake restarts (responder only, §1.5).
type EventNewInitiator struct{}

// EventDisconnected reports that a peer left the path (§1.5).
type EventDisconnected struct{ ID Address }

// EventSendError reports that the server could not relay one of our messages (§1.5).
type EventSendError struct {
	// ID is src ‖ dst ‖ overflow ‖ sequence of the message.
	ID [SendErrorIDSize]byte
	// Peer reports whether the destination was our authenticated peer.
	Peer bool
}

// EventPeerAuthenticated reports that the peer handshake completed (§1.6); the task starts.
type EventPeerAuthenticated struct {
	// Peer is the peer's address.
	Peer Address
	// PeerKey is the peer's permanent public key (store it to trust it next time).
	PeerKey cryptobox.PublicKey
	// Task is the chosen task's name.
	Task string
	// TaskData is the peer's data for that task (may be nil).
	TaskData map[string]any
}

// EventApplication reports that the peer sent an `application` message (§1.6).
type EventApplication struct{ Data any }

// EventTaskMessage reports that the peer sent a message of the chosen task.
type EventTaskMessage struct{ Message TaskMessage }

// EventPeerClosed reports that the peer sent `close`; the WebSocket is to be closed with 1001 (§1.6).
type EventPeerClosed struct{ Reason CloseCode }

func (EventServerAuthenticated) isEvent() {}
func (EventNewResponder) isEvent()        {}
func (EventResponderDropped) isEvent()    {}
func (EventNewInitiator) isEvent()        {}
func (EventDisconnected) isEvent()        {}
func (EventSendError) isEvent()           {}
func (EventPeerAuthenticated) isEvent()   {}
func (EventApplication) isEvent()         {}
func (EventTaskMessage) isEvent()         {}
func (EventPeerClosed) isEvent()          {}

// Output is what one step of the state machine asks its driver to do, in order:
// write Frames, deliver Events, then close the WebSocket if Close is set.
type Output struct {
	// Frames are binary WebSocket messages to send, in order.
	Frames [][]byte
	// Events happened during the step.
	Events []Event
	// Close, when non-zero, is the code to close the WebSocket with.
	Close CloseCode
	// Wakeup, when non-zero, is when Tick must be called next.
	Wakeup time.Time
}
