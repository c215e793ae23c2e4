package directory

import "testing"

func TestValidID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"ECHOECHO", "A1B2C3D4", "*THREEMA", "00000000"} {
		if !ValidID(id) {
			t.Errorf("ValidID(%q) = false", id)
		}
	}
	for _, id := range []string{"", "ECHOECH", "ECHOECHOE", "echoecho", "ECHO*CHO", "ECHOECH*", "ECHO ECH", "ÉCHOECH"} {
		if ValidID(id) {
			t.Errorf("ValidID(%q) = true", id)
		}
	}
}

func TestIdentityStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[IdentityState]string{StateActive: "active", StateInactive: "inactive", StateInvalid: "invalid", 7: "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(s), got, want)
		}
	}
}
