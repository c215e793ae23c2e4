package e2e

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLocationLen bounds the whole inner location message (Kurier's choice,
// the same bound as a text).
const maxLocationLen = MaxTextLen

// Location (0x10) is a place. Inner: UTF-8 "lat,lon[,accuracy]", optionally
// followed by "\n<address>" or "\n<name>\n<address>" (§3.5).
type Location struct {
	// Latitude in degrees, -90..90.
	Latitude float64
	// Longitude in degrees, -180..180.
	Longitude float64
	// Accuracy in metres, ≥ 0; 0 means unknown and is not sent.
	Accuracy float64
	// Name is the place's name; it needs an Address. No newlines.
	Name string
	// Address is the place's address. No newlines.
	Address string
}

// Type returns TypeLocation.
func (Location) Type() byte { return TypeLocation }

func (m Location) appendInner(dst []byte) ([]byte, error) {
	if err := m.check(); err != nil {
		return nil, err
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, m.Latitude, 'f', -1, 64)
	dst = append(dst, ',')
	dst = strconv.AppendFloat(dst, m.Longitude, 'f', -1, 64)
	if m.Accuracy != 0 {
		dst = append(dst, ',')
		dst = strconv.AppendFloat(dst, m.Accuracy, 'f', -1, 64)
	}
	if m.Name != "" {
		dst = append(append(dst, '\n'), m.Name...)
	}
	if m.Address != "" {
		dst = append(append(dst, '\n'), m.Address...)
	}
	if len(dst)-start > maxLocationLen {
		return nil, fmt.Errorf("%w: location of %d bytes", ErrTooLarge, len(dst)-start)
	}
	return dst, nil
}

func (m Location) check() error {
	switch {
	case !(m.Latitude >= -90 && m.Latitude <= 90):
		return fmt.Errorf("%w: latitude out of range", ErrInvalidField)
	case !(m.Longitude >= -180 && m.Longitude <= 180):
		return fmt.Errorf("%w: longitude out of range", ErrInvalidField)
	case !(m.Accuracy >= 0) || math.IsInf(m.Accuracy, 0):
		return fmt.Errorf("%w: accuracy out of range", ErrInvalidField)
	case m.Name != "" && m.Address == "":
		return fmt.Errorf("%w: location name without address", ErrInvalidField)
	case strings.ContainsAny(m.Name, "\n\r") || strings.ContainsAny(m.Address, "\n\r"):
		return fmt.Errorf("%w: newline in location name or address", ErrInvalidField)
	case !utf8.ValidString(m.Name) || !utf8.ValidString(m.Address):
		return fmt.Errorf("%w: location is not UTF-8", ErrInvalidField)
	}
	return nil
}

func decodeLocation(b []byte) (Message, error) {
	m, err := parseLocation(b)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func parseLocation(b []byte) (Location, error) {
	var m Location
	if len(b) > maxLocationLen {
		return m, fmt.Errorf("%w: location of %d bytes", ErrTooLarge, len(b))
	}
	if !utf8.Valid(b) {
		return m, fmt.Errorf("%w: location is not UTF-8", ErrInvalidField)
	}
	lines := strings.Split(string(b), "\n")
	coords := strings.Split(lines[0], ",")
	if len(coords) < 2 || len(coords) > 3 {
		return m, fmt.Errorf("%w: location has %d coordinates", ErrMalformed, len(coords))
	}
	var err error
	if m.Latitude, err = parseCoordinate(coords[0]); err != nil {
		return m, err
	}
	if m.Longitude, err = parseCoordinate(coords[1]); err != nil {
		return m, err
	}
	if len(coords) == 3 {
		if m.Accuracy, err = parseCoordinate(coords[2]); err != nil {
			return m, err
		}
	}
	switch len(lines) {
	case 1:
	case 2:
		m.Address = lines[1]
	case 3:
		m.Name, m.Address = lines[1], lines[2]
	default:
		return m, fmt.Errorf("%w: location has %d lines", ErrMalformed, len(lines))
	}
	if len(lines) > 1 && (m.Address == "" || (len(lines) == 3 && m.Name == "")) {
		return m, fmt.Errorf("%w: empty location line", ErrMalformed)
	}
	if err := m.check(); err != nil {
		return m, err
	}
	return m, nil
}

// parseCoordinate parses a decimal number: digits, sign, point and exponent
// only (no "NaN", "Inf", hex floats or underscores, which strconv accepts).
// Its errors never quote the input.
func parseCoordinate(s string) (float64, error) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, fmt.Errorf("%w: location coordinate is not a number", ErrMalformed)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: location coordinate is not a number", ErrMalformed)
	}
	return v, nil
}
