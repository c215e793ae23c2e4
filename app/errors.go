package app

import "errors"

// ErrInvalidSetting is returned when the UI asks to store a value outside a
// preference's allowed set.
var ErrInvalidSetting = errors.New("app: invalid setting")
