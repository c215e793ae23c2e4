package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/kurier/kurier/internal/ratelimit"
	wire "github.com/kurier/kurier/protocol/blob"
)

// classUploadBytes is the rate-limit class of uploaded bytes (class 0 is
// the request budget).
const classUploadBytes = 1

// quotaError is ErrQuota with the wait until the quota allows more.
type quotaError struct{ wait time.Duration }

func (e *quotaError) Error() string        { return wire.ErrQuota.Error() }
func (e *quotaError) Is(target error) bool { return target == wire.ErrQuota }

// uploadMeter reads an upload's body and holds it to the upload bounds:
// every byte is charged to the client's quota as it arrives (unless the
// whole announced length was charged up front), the stored blobs plus this
// upload stay under the watermark, and each ProgressInterval must bring
// MinProgressBytes — else the read deadline passes and the upload fails.
type uploadMeter struct {
	r       io.Reader
	ctx     context.Context
	s       *Server
	addr    netip.Addr
	rc      *http.ResponseController
	prepaid bool // the announced length was charged up front

	read      int64 // bytes read
	sinceMark int64 // bytes since the deadline was last extended
	err       error // a bound the upload broke
}

// newUploadMeter checks what it can before a byte is read: an announced
// length is charged to the quota and checked against the watermark at once.
func (s *Server) newUploadMeter(w http.ResponseWriter, r *http.Request) (*uploadMeter, error) {
	m := &uploadMeter{r: r.Body, ctx: r.Context(), s: s, addr: ratelimit.ClientAddr(r), rc: http.NewResponseController(w)}
	// r.Body is already bounded by the size limit.
	if r.ContentLength > 0 {
		if stored := s.storedBytes(m.ctx); stored+r.ContentLength > s.cfg.MaxTotalBytes {
			return nil, fmt.Errorf("%w: %d bytes stored, watermark %d", wire.ErrFull, stored, s.cfg.MaxTotalBytes)
		}
		if err := s.charge(m.addr, r.ContentLength); err != nil {
			return nil, err
		}
		m.prepaid = true
	}
	m.extend()
	return m, nil
}

// storedBytes is the size of the stored blobs the watermark bounds: with
// Config.Database, of every node's, up to a second old (30 s on S3). If it cannot be
// read, the last figure stands (the upload's own writes fail if the store
// is down).
func (s *Server) storedBytes(ctx context.Context) int64 {
	u, err := s.store.usage(ctx)
	if err != nil {
		s.log.Warn("stored bytes unknown", "err", err)
	}
	return u.bytes
}

// charge takes n bytes from addr's upload quota.
func (s *Server) charge(addr netip.Addr, n int64) error {
	if ok, _, wait := s.limits.AllowN(addr, s.cfg.Now(), int(n), classUploadBytes); !ok {
		return &quotaError{wait: wait}
	}
	return nil
}

// extend moves the read deadline one ProgressInterval ahead.
func (m *uploadMeter) extend() {
	_ = m.rc.SetReadDeadline(time.Now().Add(m.s.cfg.ProgressInterval))
	m.sinceMark = 0
}

func (m *uploadMeter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	if n > 0 {
		m.read += int64(n)
		m.sinceMark += int64(n)
		if !m.prepaid {
			m.err = m.s.charge(m.addr, int64(n))
		}
		if m.err == nil && m.s.storedBytes(m.ctx)+m.read > m.s.cfg.MaxTotalBytes {
			m.err = fmt.Errorf("%w: watermark %d", wire.ErrFull, m.s.cfg.MaxTotalBytes)
		}
		if m.err != nil {
			return n, m.err
		}
		if m.sinceMark >= m.s.cfg.MinProgressBytes {
			m.extend()
		}
	}
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		return n, fmt.Errorf("%w: fewer than %d bytes in %s", wire.ErrSlowUpload, m.s.cfg.MinProgressBytes, m.s.cfg.ProgressInterval)
	}
	return n, err
}

// refusal maps an upload's failure to the counter of its bound, if any.
func refusal(err error) (int, bool) {
	switch {
	case errors.Is(err, wire.ErrQuota):
		return refusedQuota, true
	case errors.Is(err, wire.ErrFull):
		return refusedFull, true
	case errors.Is(err, wire.ErrSlowUpload):
		return refusedSlow, true
	}
	return 0, false
}
