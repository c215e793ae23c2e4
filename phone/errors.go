package phone

import "errors"

var (
	// ErrNotInitialized is returned by Open for a data directory without an identity.
	ErrNotInitialized = errors.New("phone: not initialized (run init first)")
	// ErrAlreadyInitialized is returned by Init for a data directory that has an identity.
	ErrAlreadyInitialized = errors.New("phone: already initialized")
	// ErrUnknownIdentity is returned for an identity the directory does not know.
	ErrUnknownIdentity = errors.New("phone: unknown identity")
	// ErrRevoked is returned for a contact whose identity is revoked.
	ErrRevoked = errors.New("phone: identity revoked")
	// ErrBlocked is returned when sending to a blocked contact.
	ErrBlocked = errors.New("phone: contact blocked")
	// ErrSelf is returned when the own identity is used as a contact.
	ErrSelf = errors.New("phone: that is the own identity")
	// ErrFeatureUnsupported is returned when the peer's feature mask lacks
	// what a message needs (edit 0x100, delete 0x200).
	ErrFeatureUnsupported = errors.New("phone: the peer does not support this")
	// ErrNotCreator is returned for a group change only the creator may make.
	ErrNotCreator = errors.New("phone: only the group creator may do that")
	// ErrNotMember is returned for a group the phone is not a member of.
	ErrNotMember = errors.New("phone: not a member of the group")
	// ErrNotConnected is returned for a message that needs a live connection
	// (typing indicators) while the phone is not connected.
	ErrNotConnected = errors.New("phone: not connected")
	// ErrRunning is returned by Run when the phone already runs.
	ErrRunning = errors.New("phone: already running")
	// ErrBackup is returned for a backup that is malformed or of an unknown version.
	ErrBackup = errors.New("phone: invalid backup")
	// ErrBackupPassword is returned when a backup does not open with the password.
	ErrBackupPassword = errors.New("phone: wrong backup password or damaged backup")
	// ErrFingerprint is returned by VerifyContact when the fingerprint does not match.
	ErrFingerprint = errors.New("phone: fingerprint does not match the contact's key")
	// ErrInvalid is returned for an invalid argument (an empty text, a bad ID).
	ErrInvalid = errors.New("phone: invalid argument")
	// ErrImage is returned for an avatar that is not a decodable JPEG or PNG image.
	ErrImage = errors.New("phone: not a JPEG or PNG image")
	// ErrTooLarge is returned for an avatar over AvatarMaxBytes bytes or
	// AvatarMaxPixels pixels.
	ErrTooLarge = errors.New("phone: image too large")
)
