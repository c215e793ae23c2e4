package cryptobox

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	xblake2b "golang.org/x/crypto/blake2b"
)

type blake2bVector struct {
	Input, Key, Salt, Personal, Digest string
	Size                               int
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBlake2bVectors checks against digests produced by Python's hashlib
// (testdata/blake2b.json), covering salt, personal, keys and block edges.
func TestBlake2bVectors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/blake2b.json")
	if err != nil {
		t.Fatal(err)
	}
	var vecs []blake2bVector
	if err := json.Unmarshal(raw, &vecs); err != nil {
		t.Fatal(err)
	}
	for i, v := range vecs {
		h, err := NewBlake2b(Blake2bParams{Size: v.Size, Key: unhex(t, v.Key), Salt: unhex(t, v.Salt), Personal: unhex(t, v.Personal)})
		if err != nil {
			t.Fatal(err)
		}
		in := unhex(t, v.Input)
		// Feed in uneven pieces to exercise buffering.
		for len(in) > 0 {
			n := min(len(in), 1+i%70)
			h.Write(in[:n])
			in = in[n:]
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != v.Digest {
			t.Errorf("vector %d: %s, want %s", i, got, v.Digest)
		}
	}
}

// TestBlake2bMatchesXCrypto compares unsalted hashes with x/crypto/blake2b.
func TestBlake2bMatchesXCrypto(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 64, 127, 128, 129, 256, 1000, 4097} {
		in := bytes.Repeat([]byte{byte(n)}, n)
		for _, key := range [][]byte{nil, []byte("k"), bytes.Repeat([]byte{9}, 64)} {
			want, _ := xblake2b.New256(key)
			want.Write(in)
			got, err := NewBlake2b(Blake2bParams{Size: 32, Key: key})
			if err != nil {
				t.Fatal(err)
			}
			got.Write(in)
			if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
				t.Fatalf("n=%d key=%d: differs from x/crypto", n, len(key))
			}
			got.Reset()
			got.Write(in)
			if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
				t.Fatalf("n=%d key=%d: differs after Reset", n, len(key))
			}
		}
	}
}

func TestBlake2b256CSPVouchKeyShape(t *testing.T) {
	t.Parallel()
	key := make([]byte, 64)
	for i := range key {
		key[i] = byte(i)
	}
	got, err := Blake2b256(key, "v2", "3ma-csp", nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "67a46dec86ad36bba1efcfb6fd8936dd8a0baeefa13bee522a76a9b57db61a4c" // hashlib.blake2b(b'', digest_size=32, key=bytes(range(64)), salt=b'v2', person=b'3ma-csp')
	if hex.EncodeToString(got[:]) != want {
		t.Fatalf("got %x", got)
	}
}

func TestBlake2bRejectsBadParams(t *testing.T) {
	t.Parallel()
	for _, p := range []Blake2bParams{
		{Size: 0},
		{Size: 65},
		{Size: 32, Key: make([]byte, 65)},
		{Size: 32, Salt: make([]byte, 17)},
		{Size: 32, Personal: make([]byte, 17)},
	} {
		if _, err := NewBlake2b(p); !errors.Is(err, ErrBlake2bParams) {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestBlake2bSumDoesNotChangeState(t *testing.T) {
	t.Parallel()
	h, _ := NewBlake2b(Blake2bParams{Size: 32, Personal: []byte("p")})
	h.Write([]byte("hello "))
	_ = h.Sum(nil)
	h.Write([]byte("world"))
	want, _ := NewBlake2b(Blake2bParams{Size: 32, Personal: []byte("p")})
	want.Write([]byte("hello world"))
	if !bytes.Equal(h.Sum(nil), want.Sum(nil)) {
		t.Fatal("Sum changed the running state")
	}
}

func FuzzBlake2bMatchesXCrypto(f *testing.F) {
	f.Add([]byte("abc"), []byte(""))
	f.Add(bytes.Repeat([]byte{1}, 300), []byte("key"))
	f.Fuzz(func(t *testing.T, in, key []byte) {
		if len(key) > 64 {
			key = key[:64]
		}
		want, _ := xblake2b.New512(key)
		want.Write(in)
		got, err := NewBlake2b(Blake2bParams{Size: 64, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		got.Write(in)
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Fatal("differs from x/crypto")
		}
	})
}
