package signaling

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/saltyrtc"
)

func TestCertificateGeneratedOnceAndKept(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s1, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_ = s1.ln.Close()
	st, err := os.Stat(filepath.Join(dir, keyFile))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode().Perm())
	}
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, certFile), filepath.Join(dir, keyFile))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := cert.PrivateKey.(*ecdsa.PrivateKey); !ok || k.Curve != elliptic.P256() {
		t.Fatalf("key %T, want ECDSA P-256", cert.PrivateKey)
	}
	s2, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_ = s2.ln.Close()
	if s1.CertificateSHA256() != s2.CertificateSHA256() || len(s1.CertificateSHA256()) != 64 {
		t.Fatalf("fingerprints %q, %q", s1.CertificateSHA256(), s2.CertificateSHA256())
	}
	if got := s1.URL(); got[:6] != "wss://" {
		t.Fatalf("URL %q", got)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{Addr: "127.0.0.1:0"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("TLS without DataDir: %v", err)
	}
	k := genKey(t)
	if _, err := New(Config{Addr: "127.0.0.1:0", PlainWS: true, Keys: []cryptobox.KeyPair{k, k}}); !errors.Is(err, ErrConfig) {
		t.Fatalf("duplicate keys: %v", err)
	}
	s, err := New(Config{Addr: "127.0.0.1:0", PlainWS: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.ln.Close()
	if s.URL()[:5] != "ws://" || s.CertificateSHA256() != "" {
		t.Fatalf("plain: %q %q", s.URL(), s.CertificateSHA256())
	}
}

// failingReader fails every read: the server cannot draw a session key.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestInternalError3002(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.PlainWS = true; c.Rand = failingReader{} })
	ws, _, err := rawConnect(t, s, genKey(t).Public)
	if err != nil {
		t.Fatal(err)
	}
	expectClose(t, ws, saltyrtc.CloseInternalError)
}
