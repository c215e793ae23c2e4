package backend

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kurier/kurier/protocol/cryptobox"
)

// Keys are the backend's long-term key pairs, one per purpose.
type Keys struct {
	// Chat is the chat server's long-term key (CSP "SK"), pinned by clients.
	Chat cryptobox.KeyPair
	// Signaling is the signaling server's SaltyRTC permanent key, pinned by clients.
	Signaling cryptobox.KeyPair
	// DirectoryChallenge is the directory's key for identity-creation and
	// authenticated-call challenges (tokenRespKeyPub).
	DirectoryChallenge cryptobox.KeyPair
}

// Public lists the public keys of every server key, which the directory
// refuses as identity keys.
func (k Keys) Public() []cryptobox.PublicKey {
	return []cryptobox.PublicKey{k.Chat.Public, k.Signaling.Public, k.DirectoryChallenge.Public}
}

// keyFiles names the file of each key inside DIR/keys.
var keyFiles = []struct {
	name string
	get  func(*Keys) *cryptobox.KeyPair
}{
	{"chat.key", func(k *Keys) *cryptobox.KeyPair { return &k.Chat }},
	{"signaling.key", func(k *Keys) *cryptobox.KeyPair { return &k.Signaling }},
	{"directory-challenge.key", func(k *Keys) *cryptobox.KeyPair { return &k.DirectoryChallenge }},
}

// LoadOrCreateKeys reads the key pairs from dir/keys, generating (from rand)
// and saving any that are missing. Key files hold the secret key as hex and are
// created with mode 0600 in a 0700 directory.
func LoadOrCreateKeys(dir string, rand io.Reader) (Keys, error) {
	kdir := filepath.Join(dir, "keys")
	if err := os.MkdirAll(kdir, 0o700); err != nil {
		return Keys{}, fmt.Errorf("backend: keys: %w", err)
	}
	var keys Keys
	for _, kf := range keyFiles {
		path := filepath.Join(kdir, kf.name)
		kp, err := loadKey(path)
		if errors.Is(err, fs.ErrNotExist) {
			kp, err = createKey(path, rand)
		}
		if err != nil {
			return Keys{}, err
		}
		*kf.get(&keys) = kp
	}
	return keys, nil
}

func loadKey(path string) (cryptobox.KeyPair, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return cryptobox.KeyPair{}, fmt.Errorf("backend: read key: %w", err)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return cryptobox.KeyPair{}, fmt.Errorf("backend: key file %s is not hex", path)
	}
	sk, err := cryptobox.ParseSecretKey(raw)
	if err != nil {
		return cryptobox.KeyPair{}, fmt.Errorf("backend: key file %s: %w", path, err)
	}
	return cryptobox.KeyPairFromSecret(sk)
}

func createKey(path string, rand io.Reader) (cryptobox.KeyPair, error) {
	kp, err := cryptobox.GenerateKeyPair(rand)
	if err != nil {
		return cryptobox.KeyPair{}, fmt.Errorf("backend: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return cryptobox.KeyPair{}, fmt.Errorf("backend: create key: %w", err)
	}
	_, werr := f.WriteString(hex.EncodeToString(kp.Secret[:]) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(path)
		return cryptobox.KeyPair{}, fmt.Errorf("backend: write key: %w", err)
	}
	return kp, nil
}
