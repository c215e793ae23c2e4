package rtclink

import (
	"context"
	"fmt"

	"github.com/kurier/kurier/protocol/saltyrtc"
)

// RelayedDataTaskName is the Relayed Data task (§1.9; the npm
// @saltyrtc/task-relayed-data 0.4.0 uses this v0 name).
const RelayedDataTaskName = "v0.relayed-data.tasks.saltyrtc.org"

// relayedDataType and relayedDataPayload are the task's message type and
// payload key: {type: "data", p: <any>} (§1.9).
const (
	relayedDataType    = "data"
	relayedDataPayload = "p"
	// relayedDataInbox is how many received messages may wait for Receive
	// before the reader stops reading (backpressure through the server).
	relayedDataInbox = 64
)

// RelayedDataTask carries application messages through the signalling
// server, boxed with the session keys (§1.9). Payloads are sent as msgpack
// bin; received bin or str payloads are returned as bytes.
type RelayedDataTask struct {
	link  *TaskLink
	inbox chan []byte
}

// NewRelayedDataTask returns a Relayed Data task for one session.
func NewRelayedDataTask() *RelayedDataTask {
	return &RelayedDataTask{inbox: make(chan []byte, relayedDataInbox)}
}

// Name implements Task.
func (*RelayedDataTask) Name() string { return RelayedDataTaskName }

// Data implements Task: an empty map, as the reference implementation sends.
func (*RelayedDataTask) Data() map[string]any { return map[string]any{} }

// MessageTypes implements Task.
func (*RelayedDataTask) MessageTypes() []string { return []string{relayedDataType} }

// Start implements Task.
func (t *RelayedDataTask) Start(link *TaskLink, _ map[string]any) error {
	t.link = link
	return nil
}

// HandleMessage implements Task.
func (t *RelayedDataTask) HandleMessage(m saltyrtc.TaskMessage) error {
	var b []byte
	switch p := m.Fields[relayedDataPayload].(type) {
	case []byte:
		b = p
	case string:
		b = []byte(p)
	default:
		return fmt.Errorf("%w: relayed data payload is %T", saltyrtc.ErrMessage, p)
	}
	select {
	case t.inbox <- b:
		return nil
	case <-t.link.Done():
		return ErrClosed
	}
}

// Close implements Task.
func (*RelayedDataTask) Close(error) {}

// Send implements Messenger.
func (t *RelayedDataTask) Send(ctx context.Context, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rtclink: send: %w", err)
	}
	return t.link.Send(saltyrtc.TaskMessage{Type: relayedDataType, Fields: map[string]any{relayedDataPayload: msg}})
}

// Flush implements Messenger: Send writes to the WebSocket before it
// returns, so there is nothing to wait for.
func (t *RelayedDataTask) Flush(ctx context.Context) error { return ctx.Err() }

// Receive implements Messenger.
func (t *RelayedDataTask) Receive(ctx context.Context) ([]byte, error) {
	select {
	case b := <-t.inbox:
		return b, nil
	default:
	}
	select {
	case b := <-t.inbox:
		return b, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("rtclink: receive: %w", ctx.Err())
	case <-t.link.Done():
		select {
		case b := <-t.inbox:
			return b, nil
		default:
		}
		return nil, t.link.s.Err()
	}
}
