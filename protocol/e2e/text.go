package e2e

import (
	"fmt"
	"unicode/utf8"
)

// MaxTextLen is the largest text in bytes (§3.5; Android MAX_TEXT_MESSAGE_LEN).
// It bounds texts, edited texts and file captions.
const MaxTextLen = 6000

// Text is a 1:1 text message (0x01): UTF-8, 1..MaxTextLen bytes.
type Text struct {
	// Text is the message text.
	Text string
}

// Type returns TypeText.
func (Text) Type() byte { return TypeText }

func (m Text) appendInner(dst []byte) ([]byte, error) {
	if err := checkText(m.Text, false); err != nil {
		return nil, err
	}
	return append(dst, m.Text...), nil
}

func decodeText(b []byte) (Message, error) {
	if err := checkText(string(b), false); err != nil {
		return nil, err
	}
	return Text{Text: string(b)}, nil
}

// checkText validates a text: valid UTF-8, at most MaxTextLen bytes, and
// not empty unless allowEmpty. Errors carry lengths only, never the text.
func checkText(s string, allowEmpty bool) error {
	switch {
	case s == "" && !allowEmpty:
		return fmt.Errorf("%w: empty text", ErrInvalidField)
	case len(s) > MaxTextLen:
		return fmt.Errorf("%w: text of %d bytes (max %d)", ErrTooLarge, len(s), MaxTextLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: text is not UTF-8", ErrInvalidField)
	}
	return nil
}
