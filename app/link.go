package app

import (
	"sync"
	"time"
)

// Link states shown by the connection indicator. The set is mirrored as a
// literal union in frontend/src/bridge/types.ts.
const (
	// LinkUnpaired: no phone is paired with this computer yet.
	LinkUnpaired = "unpaired"
	// LinkConnecting: a pairing or reconnect attempt is under way.
	LinkConnecting = "connecting"
	// LinkConnected: the encrypted data channel to the phone is open.
	LinkConnected = "connected"
	// LinkDisconnected: a paired phone is currently unreachable.
	LinkDisconnected = "disconnected"
)

// LinkStates lists every link state.
func LinkStates() []string {
	return []string{LinkUnpaired, LinkConnecting, LinkConnected, LinkDisconnected}
}

// LinkStatus is the state of the link to the phone.
type LinkStatus struct {
	// State is one of "unpaired", "connecting", "connected", "disconnected".
	State string `json:"state"`
	// Since is when the link entered State, in Unix milliseconds.
	Since int64 `json:"since"`
}

// LinkService is bound to the UI: it reports the state of the link to the
// phone and announces every change with EventLinkStatus.
type LinkService struct {
	hub *Hub
	now func() time.Time

	mu     sync.Mutex
	status LinkStatus
}

// NewLinkService returns a service in the unpaired state.
func NewLinkService(hub *Hub, now func() time.Time) *LinkService {
	return &LinkService{hub: hub, now: now, status: LinkStatus{State: LinkUnpaired, Since: now().UnixMilli()}}
}

// Status returns the current link state.
func (l *LinkService) Status() (LinkStatus, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status, nil
}
