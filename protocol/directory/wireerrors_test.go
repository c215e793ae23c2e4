package directory

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestErrorTypesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, w := range wireErrors {
		wrapped := fmt.Errorf("directory: some call: %w", w.err)
		if got := ErrorTypeOf(wrapped); got != w.typ {
			t.Errorf("ErrorTypeOf(%v) = %q, want %q", wrapped, got, w.typ)
		}
		if got := ErrorForType(w.typ); got != w.err {
			t.Errorf("ErrorForType(%q) = %v, want %v", w.typ, got, w.err)
		}
		if ErrorMessage(w.typ) == "" {
			t.Errorf("ErrorMessage(%q) is empty", w.typ)
		}
	}
	if got := ErrorTypeOf(errors.New("disk full")); got != ErrorTypeInternal {
		t.Errorf("ErrorTypeOf(unknown) = %q", got)
	}
	if got := ErrorForType("somethingNew"); got != ErrInternal {
		t.Errorf("ErrorForType(unknown) = %v", got)
	}
	if got := ErrorMessage("somethingNew"); got != "internal error" {
		t.Errorf("ErrorMessage(unknown) = %q", got)
	}
}

// TestErrorBody pins the bytes of an error body: field names and the fixed
// message, which Threema clients read.
func TestErrorBody(t *testing.T) {
	t.Parallel()
	typ := ErrorTypeOf(fmt.Errorf("directory: create: %w", ErrProofRejected))
	b, err := json.Marshal(ErrorResponse{Success: false, Error: ErrorMessage(typ), ErrorType: typ})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"success":false,"error":"the proof of key possession was rejected","errorType":"invalidResponse"}`
	if string(b) != want {
		t.Fatalf("body %s, want %s", b, want)
	}
}
