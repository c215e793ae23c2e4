package signaling

import "errors"

// Sentinel errors.
var (
	// ErrConfig is an invalid configuration.
	ErrConfig = errors.New("signaling: invalid configuration")
	// ErrCertificate is a TLS certificate that cannot be created or loaded.
	ErrCertificate = errors.New("signaling: TLS certificate")
)
