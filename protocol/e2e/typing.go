package e2e

import "fmt"

// TypingIndicator (0x90) tells the peer that the user started (Typing) or
// stopped typing. Inner: one byte, 1 or 0. It is sent with FlagNoQueuing and
// FlagNoAck (§3.5) and never gets a delivery receipt.
type TypingIndicator struct {
	// Typing is true while the user types.
	Typing bool
}

// Type returns TypeTypingIndicator.
func (TypingIndicator) Type() byte { return TypeTypingIndicator }

func (m TypingIndicator) appendInner(dst []byte) ([]byte, error) {
	if m.Typing {
		return append(dst, 1), nil
	}
	return append(dst, 0), nil
}

func decodeTypingIndicator(b []byte) (Message, error) {
	if len(b) != 1 {
		return nil, fmt.Errorf("%w: typing indicator of %d bytes", ErrMalformed, len(b))
	}
	if b[0] > 1 {
		return nil, fmt.Errorf("%w: typing value %d", ErrInvalidField, b[0])
	}
	return TypingIndicator{Typing: b[0] == 1}, nil
}
