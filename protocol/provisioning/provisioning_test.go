package provisioning

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
	if got.Chat != f.Chat || !reflect.DeepEqual(got.Signaling, f.Signaling) || got.Admin != f.Admin {
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

// cluster is sample with three signaling nodes; the second names its own
// key and pin, the others inherit the section's.
func cluster(t testing.TB) *File {
	t.Helper()
	f := sample(t)
	own, err := cryptobox.GenerateKeyPair(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f.Signaling.Nodes = []SignalingNode{
		{URL: "wss://sig-0.example.org:8765/"},
		{URL: "wss://sig-1.example.org:8766", PublicKey: own.Public.String(), TLSCertificateSHA256: strings.Repeat("cd", 32)},
		{URL: "ws://[::1]:8767/"},
	}
	return f
}

func TestSignalingNodesRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "backend.json")
	f := cluster(t)
	if err := Write(path, f); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Signaling.Nodes, f.Signaling.Nodes) {
		t.Fatalf("nodes: %+v", got.Signaling.Nodes)
	}
	list := got.Signaling.NodeList()
	if len(list) != 3 || list[0].PublicKey != f.Signaling.PublicKey || list[0].TLSCertificateSHA256 != f.Signaling.TLSCertificateSHA256 ||
		list[1] != f.Signaling.Nodes[1] || list[2].PublicKey != f.Signaling.PublicKey {
		t.Fatalf("node list (inheritance): %+v", list)
	}
}

func TestNoNodesIsTheSingleServer(t *testing.T) {
	t.Parallel()
	f := sample(t)
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "nodes") {
		t.Fatalf("a single-node file mentions nodes: %s", data)
	}
	s := f.Signaling
	want := SignalingNode{URL: s.URL, PublicKey: s.PublicKey, TLSCertificateSHA256: s.TLSCertificateSHA256}
	if list := s.NodeList(); len(list) != 1 || list[0] != want {
		t.Fatalf("node list: %+v", list)
	}
	for b := range 256 {
		if got := s.NodeFor(cryptobox.PublicKey{byte(b)}); got != want {
			t.Fatalf("key %02x: %+v", b, got)
		}
	}
	if n, ok := s.Lookup("127.0.0.1", 8765); !ok || n != want {
		t.Fatalf("lookup: %+v %v", n, ok)
	}
}

func TestNodeForFollowsTheFirstKeyByte(t *testing.T) {
	t.Parallel()
	s := cluster(t).Signaling
	list := s.NodeList()
	for b := range 256 {
		var k cryptobox.PublicKey
		k[0], k[1] = byte(b), 0xff // only the first byte counts
		if got, want := s.NodeFor(k), list[b%3]; got != want {
			t.Fatalf("key %02x…: node %+v, want %+v", b, got, want)
		}
	}
	if NodeIndex(cryptobox.PublicKey{0xff}, 256) != 255 || NodeIndex(cryptobox.PublicKey{7}, 2) != 1 || NodeIndex(cryptobox.PublicKey{7}, 0) != 0 {
		t.Fatal("NodeIndex")
	}
	for _, c := range []struct {
		host string
		port uint16
		want int
	}{{"sig-0.example.org", 8765, 0}, {"SIG-1.Example.Org", 8766, 1}, {"::1", 8767, 2}, {"sig-0.example.org", 8766, -1}, {"127.0.0.1", 8765, -1}} {
		n, ok := s.Lookup(c.host, c.port)
		if c.want < 0 {
			if ok {
				t.Errorf("lookup %s:%d found %+v", c.host, c.port, n)
			}
			continue
		}
		if !ok || n != list[c.want] {
			t.Errorf("lookup %s:%d: %+v %v", c.host, c.port, n, ok)
		}
	}
}

func TestInvalidSignalingNodesAreRefused(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		mutate func(*File)
		says   string
	}{
		"empty list":     {func(f *File) { f.Signaling.Nodes = []SignalingNode{} }, "empty"},
		"too many":       {func(f *File) { f.Signaling.Nodes = make([]SignalingNode, MaxSignalingNodes+1) }, "at most"},
		"http scheme":    {func(f *File) { f.Signaling.Nodes[0].URL = "https://sig.example.org:443/" }, "node 0"},
		"no host":        {func(f *File) { f.Signaling.Nodes[1].URL = "wss://:8765/" }, "no host"},
		"bad host":       {func(f *File) { f.Signaling.Nodes[1].URL = "wss://bad host:8765/" }, "node 1"},
		"long host":      {func(f *File) { f.Signaling.Nodes[1].URL = "wss://" + strings.Repeat("a", 300) + ":8765/" }, "host of 300 bytes"},
		"no port":        {func(f *File) { f.Signaling.Nodes[2].URL = "wss://sig.example.org/" }, "no port"},
		"port zero":      {func(f *File) { f.Signaling.Nodes[2].URL = "wss://sig.example.org:0/" }, "no port"},
		"port too big":   {func(f *File) { f.Signaling.Nodes[2].URL = "wss://sig.example.org:70000/" }, "no port"},
		"path":           {func(f *File) { f.Signaling.Nodes[0].URL = "wss://sig.example.org:8765/x" }, "only scheme"},
		"query":          {func(f *File) { f.Signaling.Nodes[0].URL = "wss://sig.example.org:8765/?a=b" }, "only scheme"},
		"user":           {func(f *File) { f.Signaling.Nodes[0].URL = "wss://u:p@sig.example.org:8765/" }, "only scheme"},
		"node key":       {func(f *File) { f.Signaling.Nodes[0].PublicKey = "abcd" }, "node 0 public key"},
		"node pin":       {func(f *File) { f.Signaling.Nodes[2].TLSCertificateSHA256 = "zz" }, "node 2 tls"},
		"duplicate node": {func(f *File) { f.Signaling.Nodes[2].URL = "ws://SIG-0.example.org:8765" }, "nodes 0 and 2"},
	} {
		f := cluster(t)
		c.mutate(f)
		err := f.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v (want it to say %q)", name, err, c.says)
		}
		if err := Write(filepath.Join(t.TempDir(), "b.json"), f); err == nil {
			t.Errorf("%s: Write accepted it", name)
		}
	}
}

func TestParseSignalingNodes(t *testing.T) {
	t.Parallel()
	key := strings.Repeat("11", 32)
	base := `{"version":1,"directory":{"url":"http://127.0.0.1:8081/"},"blob":{"url":"http://127.0.0.1:8082/"},` +
		`"chat":{"address":"127.0.0.1:5222","public_key":"` + key + `"},"admin":{"url":"http://127.0.0.1:8080/"},` +
		`"signaling":{"url":"ws://127.0.0.1:8765/","public_key":"` + key + `"`
	f, err := Parse([]byte(base + `,"nodes":[{"url":"ws://127.0.0.1:9001"},{"url":"ws://127.0.0.1:9002/"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Signaling.NodeFor(cryptobox.PublicKey{0x03}); n.URL != "ws://127.0.0.1:9002/" || n.PublicKey != key {
		t.Fatalf("node for 03…: %+v", n)
	}
	if f, err := Parse([]byte(base + `,"nodes":null}}`)); err != nil || f.Signaling.Nodes != nil {
		t.Fatalf("null nodes: %v", err)
	}
	for _, in := range []string{
		base + `,"nodes":[]}}`,
		base + `,"nodes":{}}}`,
		base + `,"nodes":["ws://127.0.0.1:9001"]}}`,
		base + `,"nodes":[{"host":"127.0.0.1","port":9001}]}}`, // unknown fields are refused, as elsewhere
	} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(…%s): %v", in[len(base):], err)
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
	key := strings.Repeat("00", 32)
	withSignaling := `{"version":1,"directory":{"url":"http://127.0.0.1:8081/"},"blob":{"url":"http://127.0.0.1:8082/"},"chat":{"address":"127.0.0.1:5222","public_key":"` +
		key + `"},"admin":{"url":"http://127.0.0.1:8080/"},"signaling":{"url":"wss://127.0.0.1:8765/","public_key":"` + key + `"`
	f.Add([]byte(withSignaling + `}}`))
	f.Add([]byte(withSignaling + `,"nodes":[{"url":"wss://127.0.0.1:9001/"},{"url":"ws://[::1]:9002","public_key":"` + key + `","tls_certificate_sha256":"` + strings.Repeat("ab", 32) + `"}]}}`))
	f.Add([]byte(withSignaling + `,"nodes":[]}}`))
	f.Add([]byte(withSignaling + `,"nodes":[{"url":"wss://a:1"},{"url":"wss://A:1/"}]}}`))
	f.Add([]byte(withSignaling + `,"nodes":[{"url":"wss://a/x?y#z"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err == nil {
			if vErr := file.Validate(); vErr != nil {
				t.Fatalf("Parse accepted a file Validate refuses: %v", vErr)
			}
			if s := file.Signaling; s != nil {
				// Every node of an accepted file can go into a QR code and be found by it.
				for b := range 256 {
					n := s.NodeFor(cryptobox.PublicKey{byte(b)})
					host, port, err := n.HostPort()
					if s.Nodes == nil && err != nil {
						continue // the single URL may leave out the port, as before nodes
					}
					if err != nil {
						t.Fatalf("node %+v: %v", n, err)
					}
					if got, ok := s.Lookup(host, port); !ok || got != n {
						t.Fatalf("node %+v is not found at %s:%d", n, host, port)
					}
				}
			}
		}
	})
}
