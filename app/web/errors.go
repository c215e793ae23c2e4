package web

import "errors"

var (
	// ErrUnknownMethod is returned for a call to a method no service offers.
	ErrUnknownMethod = errors.New("web: unknown method")
	// ErrBadArguments is returned when a call's arguments do not fit the method.
	ErrBadArguments = errors.New("web: bad arguments")
	// ErrNotBindable is returned by NewDispatcher for a service method whose
	// signature cannot be called over the bridge.
	ErrNotBindable = errors.New("web: method cannot be bound")
)
