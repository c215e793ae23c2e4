package phone

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestBackupFormat(t *testing.T) {
	t.Parallel()
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	b, err := sealBackup(rand.Reader, "ABCD1234", kp, "pw", backupMinLog)
	if err != nil {
		t.Fatal(err)
	}
	id, got, err := OpenBackup(b, "pw")
	if err != nil || id != "ABCD1234" || got != kp {
		t.Fatalf("round trip: %s %v", id, err)
	}
	if bytes.Contains(b, kp.Secret[:]) {
		t.Fatal("secret key in the clear")
	}
	for name, mutate := range map[string]func([]byte) []byte{
		"short":    func(b []byte) []byte { return b[:len(b)-1] },
		"magic":    func(b []byte) []byte { b[0] ^= 1; return b },
		"version":  func(b []byte) []byte { b[8] = 2; return b },
		"cost":     func(b []byte) []byte { b[9] = 30; return b },
		"zero r":   func(b []byte) []byte { b[10] = 0; return b },
		"box":      func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"salt":     func(b []byte) []byte { b[12] ^= 1; return b },
		"cost too": func(b []byte) []byte { b[9] = 11; return b },
	} {
		c := mutate(bytes.Clone(b))
		_, _, err := OpenBackup(c, "pw")
		if !errors.Is(err, ErrBackup) && !errors.Is(err, ErrBackupPassword) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := OpenBackup(b, "other"); !errors.Is(err, ErrBackupPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := sealBackup(rand.Reader, "ABCD1234", kp, "", backupMinLog); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty password: %v", err)
	}
}

func FuzzOpenBackup(f *testing.F) {
	kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
	b, err := sealBackup(rand.Reader, "ABCD1234", kp, "pw", backupMinLog)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b, "pw")
	f.Add([]byte("KURIERBK"), "")
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		if len(data) == backupLen && data[9] > backupMinLog {
			data[9] = backupMinLog // keep each run cheap
		}
		id, got, err := OpenBackup(data, pw)
		if err != nil {
			if !errors.Is(err, ErrBackup) && !errors.Is(err, ErrBackupPassword) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(id) != 8 || got.Public.IsZero() {
			t.Fatalf("accepted a bad backup: %q", id)
		}
	})
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	var k cryptobox.PublicKey
	// SHA-256 of 32 zero bytes starts 66687aadf862bd776c8fc18b8e9f8e20.
	if got := Fingerprint(k); got != "66687aadf862bd776c8fc18b8e9f8e20" {
		t.Fatalf("%s", got)
	}
}
