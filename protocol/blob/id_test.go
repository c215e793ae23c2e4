package blob

import (
	"errors"
	"strings"
	"testing"
)

func TestParseID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in string
		ok bool
	}{
		{"0123456789abcdef0123456789abcdef", true},
		{"ffffffffffffffffffffffffffffffff", true},
		{"0123456789ABCDEF0123456789ABCDEF", false},
		{"0123456789abcdef0123456789abcde", false},
		{"0123456789abcdef0123456789abcdef0", false},
		{"0123456789abcdeg0123456789abcdef", false},
		{"../../../../../../../../etc/pass", false},
		{"", false},
		{strings.Repeat(" ", 32), false},
	}
	for _, tt := range tests {
		id, err := ParseID(tt.in)
		if tt.ok != (err == nil) {
			t.Errorf("ParseID(%q) = %v", tt.in, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidID) {
			t.Errorf("ParseID(%q) error %v is not ErrInvalidID", tt.in, err)
		}
		if err == nil && id.String() != tt.in {
			t.Errorf("ParseID(%q).String() = %q", tt.in, id)
		}
	}
}

func FuzzParseID(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef")
	f.Add("0123456789ABCDEF0123456789ABCDEF")
	f.Add("upload")
	f.Add("..%2f..%2fetc%2fpasswd00000000000")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidID) {
				t.Fatalf("error %v is not ErrInvalidID", err)
			}
			return
		}
		if id.String() != s {
			t.Fatalf("round trip %q → %q", s, id)
		}
	})
}
