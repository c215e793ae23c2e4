package app

import "errors"

var (
	// ErrInvalidSetting is returned when a preference value is not allowed.
	ErrInvalidSetting = errors.New("app: invalid setting")
	// ErrNotConnected: the request needs the phone, which is not connected.
	ErrNotConnected = errors.New("the phone is not connected")
	// ErrWrongPassword: the password does not unlock the remembered session.
	ErrWrongPassword = errors.New("wrong password")
	// ErrInvalid: an argument from the UI is not acceptable.
	ErrInvalid = errors.New("invalid input")
	// ErrNoSession: nothing is remembered, or the session is not locked.
	ErrNoSession = errors.New("no remembered session")
	// ErrNoNotifier: this platform has no OS notification service Kurier uses.
	ErrNoNotifier = errors.New("no OS notifications here")
)
