package store

import (
	"fmt"
	"sync"
)

// Sealer encrypts record bodies at rest (vault.Sealer implements it).
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Tags of stored record bodies.
const (
	tagPlain  = 0
	tagSealed = 1
)

// sealing holds the current sealer; nil means records are stored plain.
type sealing struct {
	mu sync.RWMutex
	s  Sealer
}

// SetSealer makes every later write seal its record bodies with s (nil:
// plain). Records written with another key no longer open: callers clear
// the cache when they change keys.
func (s *Store) SetSealer(sl Sealer) {
	s.seal.mu.Lock()
	defer s.seal.mu.Unlock()
	s.seal.s = sl
}

func (s *Store) encode(plain []byte) ([]byte, error) {
	s.seal.mu.RLock()
	sl := s.seal.s
	s.seal.mu.RUnlock()
	if sl == nil {
		return append([]byte{tagPlain}, plain...), nil
	}
	b, err := sl.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("store: seal: %w", err)
	}
	return append([]byte{tagSealed}, b...), nil
}

func (s *Store) decode(stored []byte) ([]byte, error) {
	if len(stored) == 0 {
		return nil, fmt.Errorf("%w: empty record", ErrCorrupt)
	}
	switch stored[0] {
	case tagPlain:
		return stored[1:], nil
	case tagSealed:
		s.seal.mu.RLock()
		sl := s.seal.s
		s.seal.mu.RUnlock()
		if sl == nil {
			return nil, ErrLocked
		}
		b, err := sl.Open(stored[1:])
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: tag %d", ErrCorrupt, stored[0])
}
