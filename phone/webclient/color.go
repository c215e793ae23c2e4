package webclient

import (
	"crypto/sha256"
	"encoding/binary"
)

// idColors are the colours of the 16 ID colour families, in Threema's order
// (deep orange … red): the first byte of SHA-256 over a receiver's key,
// divided by 16, picks one, as threema-desktop's idColorIndex does. The
// shades are the avatar colours of Kurier's desktop (frontend/src/lib/
// idColor.ts, "light"; color_test.go keeps the two equal), so that a
// person's avatar has one colour in the conversation list and beside their
// messages in a group, and white initials read on each.
var idColors = [16]string{
	"#b5360c", "#a84800", "#8a5a00", "#7a6400", "#5f6b00", "#437010", "#2b7530", "#00736a",
	"#00727f", "#0469a8", "#1a5fc4", "#3949ab", "#5e35b1", "#8e24aa", "#c2185b", "#b72727",
}

// idColor is the colour of a receiver key: a contact's ID in UTF-8, a
// group's creator ID ‖ group id (u64-le), a list's id (u64-le) — the bytes
// threema-desktop hashes.
func idColor(key []byte) string {
	h := sha256.Sum256(key)
	return idColors[h[0]>>4]
}

// contactColor is a contact's colour.
func contactColor(id string) string { return idColor([]byte(id)) }

// groupColor is a group's colour.
func groupColor(creator string, id uint64) string {
	return idColor(binary.LittleEndian.AppendUint64([]byte(creator), id))
}

// listColor is a distribution list's colour.
func listColor(id int64) string { return idColor(binary.LittleEndian.AppendUint64(nil, uint64(id))) }
