package cryptobox

import "errors"

var (
	// ErrDecrypt is returned when a box or secretbox fails authentication.
	ErrDecrypt = errors.New("cryptobox: decryption failed")
	// ErrKeyLength is returned when a key is parsed from input of the wrong size.
	ErrKeyLength = errors.New("cryptobox: wrong key length")
	// ErrBlake2bParams is returned for BLAKE2b parameters outside the spec's limits.
	ErrBlake2bParams = errors.New("cryptobox: invalid BLAKE2b parameters")
)
