package directory

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
)

// HMAC keys of the contact-matching hashes (shared/protocols.md §4,
// AND-2021 APIConnector.matchIdentities). They are public constants: the
// hashes hide addresses from casual view, not from a determined server.
var (
	emailHashKey = [32]byte{
		0x30, 0xa5, 0x50, 0x0f, 0xed, 0x97, 0x01, 0xfa, 0x6d, 0xef, 0xdb, 0x61, 0x08, 0x41, 0x90, 0x0f,
		0xeb, 0xb8, 0xe4, 0x30, 0x88, 0x1f, 0x7a, 0xd8, 0x16, 0x82, 0x62, 0x64, 0xec, 0x09, 0xba, 0xd7,
	}
	phoneHashKey = [32]byte{
		0x85, 0xad, 0xf8, 0x22, 0x69, 0x53, 0xf3, 0xd9, 0x6c, 0xfd, 0x5d, 0x09, 0xbf, 0x29, 0x55, 0x5e,
		0xb9, 0x55, 0xfc, 0xd8, 0xaa, 0x5e, 0xc4, 0xf9, 0xfc, 0xd8, 0x69, 0xe2, 0x58, 0x37, 0x07, 0x23,
	}
)

// HashSize is the size of a contact-matching hash (HMAC-SHA256).
const HashSize = sha256.Size

// HashEmail returns the matching hashes of an e-mail address: HMAC-SHA256
// over the address trimmed and lower-cased. An address at gmail.com or
// googlemail.com yields two hashes, one per domain, so either spelling finds
// the other; any other address yields one. An empty address yields none.
func HashEmail(email string) [][]byte {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return nil
	}
	variants := []string{e}
	if local, domain, ok := cutLast(e, "@"); ok {
		switch domain {
		case "gmail.com":
			variants = append(variants, local+"@googlemail.com")
		case "googlemail.com":
			variants = []string{local + "@gmail.com", e}
		}
	}
	out := make([][]byte, len(variants))
	for i, v := range variants {
		out[i] = mac(emailHashKey[:], v)
	}
	return out
}

// HashPhone returns the matching hash of a phone number in E.164 form:
// HMAC-SHA256 over its digits without the leading "+" (spaces, dashes and
// other punctuation are dropped). A number without digits yields nil.
func HashPhone(e164 string) []byte {
	digits := make([]byte, 0, len(e164))
	for i := 0; i < len(e164); i++ {
		if c := e164[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	if len(digits) == 0 {
		return nil
	}
	return mac(phoneHashKey[:], string(digits))
}

func mac(key []byte, input string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(input))
	return h.Sum(nil)
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}
