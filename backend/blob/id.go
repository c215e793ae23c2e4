package blob

import (
	"fmt"
	"io"

	wire "github.com/kurier/kurier/protocol/blob"
)

// newID draws a random blob id.
func newID(rand io.Reader) (wire.ID, error) {
	var id wire.ID
	if _, err := io.ReadFull(rand, id[:]); err != nil {
		return id, fmt.Errorf("blob: draw id: %w", err)
	}
	return id, nil
}
