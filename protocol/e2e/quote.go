package e2e

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// Quotes (v2) are part of a text message's text, as the Threema apps write
// them (AND QuoteUtil): "> quote #" + the quoted message's id as 16 lower-case
// hex digits (its 8 bytes in wire order) + "\n\n" + the reply's text. Both
// 1:1 and group texts carry them.

const (
	quotePrefix = "> quote #"
	// quoteHeaderLen is the prefix, 16 hex digits and the blank line.
	quoteHeaderLen = len(quotePrefix) + 16 + 2
)

// QuoteText returns text as a reply quoting the message with id quoted.
func QuoteText(quoted uint64, text string) string {
	var id [8]byte
	binary.LittleEndian.PutUint64(id[:], quoted)
	return quotePrefix + hex.EncodeToString(id[:]) + "\n\n" + text
}

// ParseQuote splits a text message's text into the quoted message's id and
// the reply's own text; ok is false (and text the whole input) when it does
// not start with a v2 quote. Like the Android app it needs some text after
// the header, and trims the reply's surrounding white space.
func ParseQuote(s string) (quoted uint64, text string, ok bool) {
	if len(s) <= quoteHeaderLen || !strings.HasPrefix(s, quotePrefix) || s[quoteHeaderLen-2:quoteHeaderLen] != "\n\n" {
		return 0, s, false
	}
	digits := s[len(quotePrefix) : quoteHeaderLen-2]
	for i := 0; i < len(digits); i++ {
		if c := digits[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, s, false
		}
	}
	var id [8]byte
	if _, err := hex.Decode(id[:], []byte(digits)); err != nil {
		return 0, s, false
	}
	return binary.LittleEndian.Uint64(id[:]), strings.TrimSpace(s[quoteHeaderLen:]), true
}
