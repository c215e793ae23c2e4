package backend

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
)

func TestKeysAreCreatedOnceAndKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := LoadOrCreateKeys(dir, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if first.Chat.Public == first.Signaling.Public || first.Chat.Public == first.DirectoryChallenge.Public {
		t.Fatal("two purposes share a key")
	}
	again, err := LoadOrCreateKeys(dir, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatal("keys changed on the second start")
	}
	for _, kf := range keyFiles {
		st, err := os.Stat(filepath.Join(dir, "keys", kf.name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", kf.name, st.Mode().Perm())
		}
	}
	if st, _ := os.Stat(filepath.Join(dir, "keys")); st.Mode().Perm() != 0o700 {
		t.Errorf("keys dir mode %v", st.Mode().Perm())
	}
}

func TestCorruptKeyFileIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := LoadOrCreateKeys(dir, rand.Reader); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "keys", "chat.key"), []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeys(dir, rand.Reader); err == nil {
		t.Fatal("corrupt key file accepted")
	}
	if err := os.WriteFile(filepath.Join(dir, "keys", "chat.key"), []byte("abcd"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKeys(dir, rand.Reader); err == nil {
		t.Fatal("short key file accepted")
	}
}
