package provisioning

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kurier/kurier/protocol/cryptobox"
)

func sample(t testing.TB) *File {
	t.Helper()
	kp, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &File{
		Version:   Version,
		Directory: HTTPServer{URL: "http://127.0.0.1:8081/"},
		Blob:      HTTPServer{URL: "http://127.0.0.1:8082/"},
		Chat:      Chat{Address: "127.0.0.1:5222", PublicKey: kp.Public.String()},
		Signaling: &Signaling{URL: "wss://127.0.0.1:8765/", PublicKey: kp.Public.String(), TLSCertificateSHA256: strings.Repeat("ab", 32)},
		Admin:     HTTPServer{URL: "http://127.0.0.1:8080/"},
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "backend.json")
	f := sample(t)
	if err := Write(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Chat != f.Chat || *got.Signaling != *f.Signaling || got.Admin != f.Admin {
		t.Fatalf("round trip: %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("left temporary files: %v", entries)
	}
}

func TestSignalingIsOptional(t *testing.T) {
	t.Parallel()
	f := sample(t)
	f.Signaling = nil
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestInvalidFilesAreRefused(t *testing.T) {
	t.Parallel()
	for name, mutate := range map[string]func(*File){
		"version":         func(f *File) { f.Version = 2 },
		"directory url":   func(f *File) { f.Directory.URL = "127.0.0.1:8081" },
		"blob scheme":     func(f *File) { f.Blob.URL = "ftp://x/" },
		"chat address":    func(f *File) { f.Chat.Address = "localhost" },
		"chat key":        func(f *File) { f.Chat.PublicKey = "abcd" },
		"signaling url":   func(f *File) { f.Signaling.URL = "http://x/" },
		"signaling key":   func(f *File) { f.Signaling.PublicKey = "" },
		"tls fingerprint": func(f *File) { f.Signaling.TLSCertificateSHA256 = "zz" },
	} {
		f := sample(t)
		mutate(f)
		if err := f.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
		if err := Write(filepath.Join(t.TempDir(), "b.json"), f); err == nil {
			t.Errorf("%s: Write accepted it", name)
		}
	}
}

func TestParseRefusesGarbageAndUnknownFields(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "{", "[]", `{"version":1,"extra":true}`, "\x00\x01"} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q): %v", in, err)
		}
	}
}

func TestLoadRefusesHugeFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "backend.json")
	if err := os.WriteFile(path, []byte(strings.Repeat(" ", maxFileBytes+10)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); !errors.Is(err, ErrInvalid) {
		t.Fatalf("huge file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version":1,"directory":{"url":"http://127.0.0.1:8081/"},"blob":{"url":"http://127.0.0.1:8082/"},"chat":{"address":"127.0.0.1:5222","public_key":"` + strings.Repeat("00", 32) + `"},"admin":{"url":"http://127.0.0.1:8080/"}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err == nil {
			if vErr := file.Validate(); vErr != nil {
				t.Fatalf("Parse accepted a file Validate refuses: %v", vErr)
			}
		}
	})
}
