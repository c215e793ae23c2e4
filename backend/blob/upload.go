package blob

import (
	"github.com/kurier/kurier/internal/ratelimit"
	wire "github.com/kurier/kurier/protocol/blob"

	"errors"
	"fmt"
	"io"
	"net/http"
)

// Upload framing limits.
const (
	// multipartSlack is what the body may hold beyond the blob: boundaries,
	// part headers and small extra fields.
	multipartSlack = 64 << 10
	// maxIDAttempts bounds the draws of a free blob id.
	maxIDAttempts = 4
)

// handleUpload serves POST /upload: it streams the "blob" part into the
// store, commits it under a fresh id and answers the id as 32 hex chars
// once the blob is durable.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	limit := s.cfg.MaxBlobBytes + multipartSlack
	if r.ContentLength > limit {
		// Refused before a byte of the body is read (or, with Expect:
		// 100-continue, sent).
		s.fail(w, r, fmt.Errorf("%w: %d bytes announced", wire.ErrTooLarge, r.ContentLength))
		return
	}
	// The size limit first, then the meter: bytes past the limit are
	// refused as too large, not charged to the quota.
	body := r.Body
	r.Body = http.MaxBytesReader(w, body, limit)
	meter, err := s.newUploadMeter(w, r)
	if err == nil {
		r.Body = struct {
			io.Reader
			io.Closer
		}{meter, body}
	}
	var id wire.ID
	var size int64
	if err == nil {
		id, size, err = s.receive(r)
	}
	if err != nil {
		if reason, ok := refusal(err); ok {
			s.refusedUploads[reason].Add(1)
			s.log.Info("upload refused", "remote", ratelimit.ClientAddr(r), "err", err)
		} else if errors.Is(err, wire.ErrTooLarge) {
			s.log.Info("upload refused: too large", "remote", ratelimit.ClientAddr(r), "limit", s.cfg.MaxBlobBytes)
		}
		s.fail(w, r, err)
		return
	}
	s.uploads.Add(1)
	s.log.Info("blob uploaded", "size", size)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, id.String())
}

// receive finds the blob part and stores it.
func (s *Server) receive(r *http.Request) (wire.ID, int64, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return wire.ID{}, 0, fmt.Errorf("%w: not multipart/form-data: %w", wire.ErrMalformedUpload, err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return wire.ID{}, 0, wire.ErrNoBlobField
		}
		if err != nil {
			return wire.ID{}, 0, uploadReadError(err)
		}
		if part.FormName() != wire.FormField {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return wire.ID{}, 0, uploadReadError(err)
			}
			continue
		}
		up, size, err := s.store.write(r.Context(), part, s.cfg.MaxBlobBytes)
		if err != nil {
			return wire.ID{}, 0, err
		}
		defer up.release()
		for range maxIDAttempts {
			id, err := newID(s.cfg.Rand)
			if err != nil {
				return wire.ID{}, 0, err
			}
			err = up.commit(r.Context(), id, s.cfg.Now())
			if errors.Is(err, errIDTaken) {
				continue
			}
			if err != nil {
				return wire.ID{}, 0, err
			}
			return id, size, nil
		}
		return wire.ID{}, 0, errors.New("blob: could not draw a free id")
	}
}

// uploadReadError classifies a failure reading the request body: the size
// limit (413) or a malformed or broken-off body (400).
func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("%w: %w", wire.ErrTooLarge, err)
	}
	if errors.Is(err, wire.ErrQuota) || errors.Is(err, wire.ErrFull) || errors.Is(err, wire.ErrSlowUpload) {
		return err // a bound of the upload meter, answered with its own status
	}
	return fmt.Errorf("%w: %w", wire.ErrMalformedUpload, err)
}
