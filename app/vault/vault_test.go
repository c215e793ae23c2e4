package vault

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

const testCost = 10 // scrypt N = 1024: fast tests; the format is the same

func TestCreateUnlockSeal(t *testing.T) {
	t.Parallel()
	v, rec, err := Create(rand.Reader, "correct horse", testCost)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != recordLen || CostOf(rec) != testCost {
		t.Fatalf("record of %d bytes, cost %d", len(rec), CostOf(rec))
	}
	if _, err := Unlock(rec, "wrong horse"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	v2, err := Unlock(rec, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if v.Key(PurposeCache) != v2.Key(PurposeCache) {
		t.Fatal("unlocked vault derives another key")
	}
	if v.Key(PurposeCache) == v.Key(PurposeSession) {
		t.Fatal("two purposes share a key")
	}
	s := v.NewSealer(PurposeCache, rand.Reader)
	a, _ := s.Seal([]byte("secret text"))
	b, _ := s.Seal([]byte("secret text"))
	if bytes.Equal(a, b) || bytes.Contains(a, []byte("secret")) {
		t.Fatal("sealing is deterministic or leaks the text")
	}
	plain, err := v2.NewSealer(PurposeCache, rand.Reader).Open(a)
	if err != nil || string(plain) != "secret text" {
		t.Fatalf("Open: %q, %v", plain, err)
	}
	if _, err := v2.NewSealer(PurposeSession, rand.Reader).Open(a); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("opened with the key of another purpose: %v", err)
	}
	a[len(a)-1] ^= 1
	if _, err := s.Open(a); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("tampered record: %v", err)
	}
}

func TestRejectsBadInput(t *testing.T) {
	t.Parallel()
	if _, _, err := Create(rand.Reader, "", testCost); !errors.Is(err, ErrPassword) {
		t.Fatalf("empty password: %v", err)
	}
	_, rec, err := Create(rand.Reader, "pw", testCost)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string][]byte{
		"empty":     nil,
		"short":     rec[:len(rec)-1],
		"magic":     append([]byte("XVLT"), rec[4:]...),
		"version":   append(append([]byte{}, rec[:4]...), append([]byte{9}, rec[5:]...)...),
		"cost zero": append(append([]byte{}, rec[:5]...), append([]byte{0}, rec[6:]...)...),
		"cost huge": append(append([]byte{}, rec[:5]...), append([]byte{40}, rec[6:]...)...),
		"r huge":    append(append([]byte{}, rec[:6]...), append([]byte{255}, rec[7:]...)...),
		"p huge":    append(append([]byte{}, rec[:7]...), append([]byte{255}, rec[8:]...)...),
	} {
		if _, err := Unlock(r, "pw"); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The header is bound to the box: a changed salt does not open.
	bad := bytes.Clone(rec)
	bad[9] ^= 1
	if _, err := Unlock(bad, "pw"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("changed salt: %v", err)
	}
}

func FuzzUnlock(f *testing.F) {
	_, rec, err := Create(rand.Reader, "pw", testCost)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rec, "pw")
	f.Add([]byte("KVLT"), "x")
	f.Fuzz(func(t *testing.T, rec []byte, password string) {
		if len(rec) > 7 && (rec[5] > 12 || rec[6] > 8 || rec[7] > 1) {
			return // keep each run fast; costs up to maxLogN are checked above
		}
		v, err := Unlock(rec, password)
		if err == nil && v == nil {
			t.Fatal("nil vault without error")
		}
	})
}

func BenchmarkUnlock(b *testing.B) {
	_, rec, err := Create(rand.Reader, "correct horse battery", 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Unlock(rec, "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
