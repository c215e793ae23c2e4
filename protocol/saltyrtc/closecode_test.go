package saltyrtc

import (
	"errors"
	"fmt"
	"testing"
)

func TestCloseCodeErrorPair(t *testing.T) {
	t.Parallel()
	for _, c := range []CloseCode{CloseSubprotocolError, ClosePathFull, CloseProtocolError, CloseInternalError,
		CloseHandover, CloseDroppedByInitiator, CloseInitiatorCouldNotDecrypt, CloseNoSharedTask, CloseInvalidKey, CloseTimeout} {
		err := CloseCodeToError(c)
		if got := ErrorToCloseCode(fmt.Errorf("wrapped: %w", err)); got != c {
			t.Errorf("%d → %v → %d", c, err, got)
		}
		if c.String() == fmt.Sprintf("close code %d", uint16(c)) {
			t.Errorf("%d has no name", c)
		}
	}
	for _, c := range []CloseCode{CloseNormal, CloseGoingAway} {
		if !errors.Is(CloseCodeToError(c), ErrGoingAway) {
			t.Errorf("%d", c)
		}
	}
	if !errors.Is(CloseCodeToError(4000), ErrProtocol) {
		t.Error("unknown code")
	}
	for err, want := range map[error]CloseCode{
		nil: CloseNormal, ErrShortFrame: 3001, ErrCookie: 3001, ErrCSN: 3001, ErrCSNExhausted: 3001,
		ErrAddress: 3001, ErrMessage: 3001, ErrUnexpectedMessage: 3001, ErrDecrypt: 3001,
		ErrSignedKeys: 3007, ErrInvalidKey: 3007, errors.New("other"): 3002,
	} {
		if got := ErrorToCloseCode(err); got != want {
			t.Errorf("%v → %d, want %d", err, got, want)
		}
	}
}

func TestValidDropReason(t *testing.T) {
	t.Parallel()
	for c := CloseCode(999); c < 3010; c++ {
		want := c == 3001 || c == 3002 || c == 3004 || c == 3005
		if ValidDropReason(c) != want {
			t.Errorf("%d", c)
		}
	}
}
