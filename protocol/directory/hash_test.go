package directory

import (
	"encoding/hex"
	"testing"
)

// Vectors computed with Python's hmac/hashlib and the keys of §4.
const (
	vecAlice      = "dba02e7c87f091b04933f7d607848da941e099b2ea2e6e43ba95bc0ea5d413ce" // alice@example.com
	vecBobGmail   = "bac17adf1d32ec27ae49087c8eb68adac35db5bee0e76ca4d64e11b3aae925e8" // bob@gmail.com
	vecBobGoogle  = "4622bb12435a837f4e23f4fb9150cac78f3dac784162d89ba891dbded859cdbb" // bob@googlemail.com
	vecPhoneSwiss = "ad398f4d7ebe63c6550a486cc6e07f9baa09bd9d8b3d8cb9d9be106d35a7fdbc" // 41791234567
)

func hexes(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}

func TestHashEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"alice@example.com", []string{vecAlice}},
		{"  Alice@Example.COM \n", []string{vecAlice}},
		{"bob@gmail.com", []string{vecBobGmail, vecBobGoogle}},
		{"Bob@GoogleMail.com", []string{vecBobGmail, vecBobGoogle}},
		{"", nil},
		{"   ", nil},
	}
	for _, tt := range tests {
		got := hexes(HashEmail(tt.in))
		if len(got) != len(tt.want) {
			t.Errorf("HashEmail(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("HashEmail(%q)[%d] = %s, want %s", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestHashPhone(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"41791234567", "+41791234567", "+41 79 123 45 67", "+41-79-123-45-67"} {
		if got := hex.EncodeToString(HashPhone(in)); got != vecPhoneSwiss {
			t.Errorf("HashPhone(%q) = %s, want %s", in, got, vecPhoneSwiss)
		}
	}
	if HashPhone("+") != nil {
		t.Error("HashPhone without digits is not nil")
	}
}
