package csp

import (
	"errors"
	"testing"
)

func TestParseID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in string
		ok bool
	}{
		{"ECHOECHO", true},
		{"01234567", true},
		{"*GATEWAY", true},
		{"*1234567", true},
		{"A*BCDEFG", false},
		{"echoecho", false},
		{"ECHOECH", false},
		{"ECHOECHOO", false},
		{"ECHO ECH", false},
		{"ECHOECH\x00", false},
		{"", false},
		{"ÄCHOECH", false},
	}
	for _, tt := range tests {
		id, err := ParseID(tt.in)
		if tt.ok {
			if err != nil || id.String() != tt.in {
				t.Errorf("ParseID(%q) = %v, %v", tt.in, id, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidID) {
			t.Errorf("ParseID(%q) err = %v, want ErrInvalidID", tt.in, err)
		}
	}
}

func TestInvalidIDStringIsHex(t *testing.T) {
	t.Parallel()
	if got := (ID{}).String(); got != "invalid(0000000000000000)" {
		t.Fatalf("zero ID String = %q", got)
	}
}
