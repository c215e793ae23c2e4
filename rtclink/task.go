package rtclink

import (
	"context"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// Task is a SaltyRTC task (§1.6–1.9): offered by name in the peer handshake,
// started when chosen, fed its message types afterwards.
type Task interface {
	// Name is the task's protocol name.
	Name() string
	// Data is our task data for `auth` (nil encodes as Nil).
	Data() map[string]any
	// MessageTypes are the task's message types.
	MessageTypes() []string
	// Start is called once, from the session's reader goroutine, when the peer
	// handshake chose this task. link stays valid until the session ends.
	Start(link *TaskLink, peerData map[string]any) error
	// HandleMessage is called from the reader goroutine for each task message.
	// An error closes the session with ErrorToCloseCode(err).
	HandleMessage(m saltyrtc.TaskMessage) error
	// Close is called once when the session ends, with the session's error
	// (nil for a local close).
	Close(err error)
}

// Messenger carries application messages: the Relayed Data task, or a
// secure data channel of the WebRTC task.
type Messenger interface {
	// Send sends one message to the peer.
	Send(ctx context.Context, msg []byte) error
	// Receive returns the peer's next message.
	Receive(ctx context.Context) ([]byte, error)
	// Flush waits until what was sent has left (or ctx ends).
	Flush(ctx context.Context) error
}

// AppChannel returns what carries a session's application messages when
// its task is the Relayed Data task, or (nil, false) when the task hands
// them to data channels (WebRTC: use OpenChannel or AcceptChannel).
func AppChannel(s *Session) (Messenger, bool) {
	t, ok := s.Task().(*RelayedDataTask)
	return t, ok
}

// TaskLink is what a running task may do with the signalling channel.
type TaskLink struct {
	s *Session
}

// Send sends a task message to the peer over the WebSocket.
func (l *TaskLink) Send(m saltyrtc.TaskMessage) error {
	return l.s.sendFrame(func(c *saltyrtc.Client) ([]byte, error) { return c.SendTaskMessage(m) })
}

// PeerSession is the session keys, cookies and sequence numbers of the peer
// relation: what the WebRTC task needs for its secure data channels (§1.8).
func (l *TaskLink) PeerSession() (saltyrtc.PeerSession, error) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	return l.s.client.PeerSession()
}

// Handover closes the WebSocket with 3003 once the task carries the
// signalling itself (§1.8 handover); the session stays open.
func (l *TaskLink) Handover() { l.s.handover() }

// Done is closed when the session ends.
func (l *TaskLink) Done() <-chan struct{} { return l.s.done }

// Fail ends the session with err (closed with ErrorToCloseCode(err)).
func (l *TaskLink) Fail(err error) { l.s.finish(err, true) }
