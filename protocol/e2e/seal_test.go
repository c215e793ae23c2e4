package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/curve25519"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

type pair struct {
	a, b   party
	ab, ba PeerKeys // a's keys for b, b's keys for a
}

func newPair(t testing.TB) pair {
	t.Helper()
	a, b := newParty(t, "ALICE123"), newParty(t, "BOB45678")
	return pair{a: a, b: b, ab: peerKeys(t, a, b), ba: peerKeys(t, b, a)}
}

func header(from, to party, id uint64) Header {
	return Header{
		Sender:    from.id,
		Receiver:  to.id,
		MessageID: id,
		CreatedAt: time.UnixMilli(1_700_000_000_123).UTC(),
		Flags:     csp.FlagPush,
		Nickname:  "Älice",
	}
}

func TestPeerKeysSymmetricAndPrecompute(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	if p.ab.box != p.ba.box || p.ab.mmk != p.ba.mmk {
		t.Fatal("keys differ between the two sides")
	}
	if p.ab.box != cryptobox.Precompute(p.b.kp.Public, p.a.kp.Secret) {
		t.Fatal("box key is not cryptobox.Precompute")
	}
	if cryptobox.SymmetricKey(p.ab.box) == p.ab.mmk {
		t.Fatal("metadata key equals box key")
	}
}

func TestNewPeerKeysRejects(t *testing.T) {
	t.Parallel()
	a := newParty(t, "ALICE123")
	if _, err := NewPeerKeys(a.id, a.kp.Secret, a.id, a.kp.Public); !errors.Is(err, ErrFromSelf) {
		t.Fatalf("self: %v", err)
	}
	if _, err := NewPeerKeys(csp.ID{}, a.kp.Secret, mustID(t, "BOB45678"), a.kp.Public); !errors.Is(err, csp.ErrInvalidID) {
		t.Fatalf("invalid id: %v", err)
	}
	// The identity point (0) and the order-2 point (1) are of low order.
	for _, low := range []cryptobox.PublicKey{{}, {1}} {
		if _, err := NewPeerKeys(a.id, a.kp.Secret, mustID(t, "BOB45678"), low); !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("low-order key: %v", err)
		}
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	for i, m := range sampleMessages(t) {
		h := header(p.a, p.b, uint64(i)+1)
		s, err := Seal(rand.Reader, p.ab, h, m)
		if err != nil {
			t.Fatalf("%T: seal: %v", m, err)
		}
		if len(s.MessageBox) < MinPaddedLen+cryptobox.Overhead {
			t.Fatalf("%T: message box of %d bytes", m, len(s.MessageBox))
		}
		got, meta, err := Open(p.ba, h, s)
		if err != nil {
			t.Fatalf("%T: open: %v", m, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Fatalf("%T: got %#v", m, got)
		}
		want := Metadata{Nickname: "Älice", MessageID: h.MessageID, CreatedAt: h.CreatedAt}
		if !reflect.DeepEqual(meta, want) {
			t.Fatalf("metadata %+v, want %+v", meta, want)
		}
		// And back from b to a.
		hb := header(p.b, p.a, uint64(i)+1000)
		hb.Nickname = ""
		s, err = Seal(rand.Reader, p.ba, hb, m)
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := Open(p.ab, hb, s); err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("%T: b→a: %v", m, err)
		}
	}
}

func TestSealThroughCSPEnvelope(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	h := header(p.a, p.b, 0x1122334455667788)
	s, err := Seal(rand.Reader, p.ab, h, Text{Text: "via the wire"})
	if err != nil {
		t.Fatal(err)
	}
	env, err := ToEnvelope(h, s)
	if err != nil {
		t.Fatal(err)
	}
	if env.Nickname != "" {
		t.Fatal("nickname leaked into the legacy header field")
	}
	wire, err := env.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	back, err := csp.DecodeEnvelope(wire)
	if err != nil {
		t.Fatal(err)
	}
	h2, s2 := FromEnvelope(back)
	if h2.CreatedAt.Unix() != h.CreatedAt.Unix() || h2.MessageID != h.MessageID || h2.Flags != h.Flags {
		t.Fatalf("header %+v", h2)
	}
	m, meta, err := Open(p.ba, h2, s2)
	if err != nil || m.(Text).Text != "via the wire" || meta.Nickname != "Älice" || !meta.CreatedAt.Equal(h.CreatedAt) {
		t.Fatalf("%v %+v %v", m, meta, err)
	}
}

func TestOpenTampered(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	h := header(p.a, p.b, 7)
	s, err := Seal(rand.Reader, p.ab, h, Text{Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	clone := func() Sealed {
		return Sealed{Nonce: s.Nonce, MetadataBox: bytes.Clone(s.MetadataBox), MessageBox: bytes.Clone(s.MessageBox)}
	}
	for name, mut := range map[string]func(*Sealed){
		"message box":       func(s *Sealed) { s.MessageBox[20] ^= 1 },
		"message box tag":   func(s *Sealed) { s.MessageBox[0] ^= 1 },
		"message truncated": func(s *Sealed) { s.MessageBox = s.MessageBox[:len(s.MessageBox)-1] },
		"metadata box":      func(s *Sealed) { s.MetadataBox[len(s.MetadataBox)-1] ^= 0x80 },
		"metadata short":    func(s *Sealed) { s.MetadataBox = s.MetadataBox[:5] },
		"nonce":             func(s *Sealed) { s.Nonce[23] ^= 1 },
	} {
		c := clone()
		mut(&c)
		_, meta, err := Open(p.ba, h, c)
		if !errors.Is(err, ErrDecrypt) || !errors.Is(err, cryptobox.ErrDecrypt) {
			t.Errorf("%s: %v", name, err)
		}
		if meta != (Metadata{}) {
			t.Errorf("%s: metadata returned", name)
		}
	}
	c := clone()
	c.MetadataBox = nil
	if _, _, err := Open(p.ba, h, c); !errors.Is(err, ErrMissingMetadata) {
		t.Errorf("no metadata: %v", err)
	}
	// A third party's keys do not open it.
	eve := newParty(t, "EVE00000")
	if _, _, err := Open(peerKeys(t, p.b, eve), Header{Sender: eve.id, Receiver: p.b.id, MessageID: 7}, s); !errors.Is(err, ErrDecrypt) {
		t.Errorf("eve: %v", err)
	}
}

func TestOpenMessageIDMismatch(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	h := header(p.a, p.b, 100)
	s, err := Seal(rand.Reader, p.ab, h, Text{Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	// The server rewrites the header id.
	h2 := h
	h2.MessageID = 101
	if _, _, err := Open(p.ba, h2, s); !errors.Is(err, ErrMessageIDMismatch) {
		t.Fatalf("rewritten header: %v", err)
	}
	// A sender builds a metadata box by hand with another id.
	meta, err := appendMetadata(nil, Metadata{MessageID: 555}, 3)
	if err != nil {
		t.Fatal(err)
	}
	s.MetadataBox = p.ab.mmk.Seal(nil, meta, &s.Nonce)
	if _, _, err := Open(p.ba, h, s); !errors.Is(err, ErrMessageIDMismatch) {
		t.Fatalf("hand-made metadata: %v", err)
	}
	// An empty metadata message means id 0, which does not match either.
	s.MetadataBox = p.ab.mmk.Seal(nil, nil, &s.Nonce)
	if _, _, err := Open(p.ba, h, s); !errors.Is(err, ErrMessageIDMismatch) {
		t.Fatalf("empty metadata: %v", err)
	}
	// Malformed metadata protobuf.
	s.MetadataBox = p.ab.mmk.Seal(nil, []byte{0x19, 1}, &s.Nonce)
	if _, _, err := Open(p.ba, h, s); !errors.Is(err, ErrMalformed) {
		t.Fatalf("bad metadata: %v", err)
	}
}

// memNonceStore is the NonceStore of the tests.
type memNonceStore map[cryptobox.Nonce]bool

func (s memNonceStore) HasNonce(_ context.Context, n cryptobox.Nonce) (bool, error) { return s[n], nil }
func (s memNonceStore) AddNonce(_ context.Context, n cryptobox.Nonce) error {
	s[n] = true
	return nil
}

func TestReflectionAndReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newPair(t)
	storeA, storeB := memNonceStore{}, memNonceStore{}
	h := header(p.a, p.b, 9)
	s, err := Seal(rand.Reader, p.ab, h, Text{Text: "to bob"})
	if err != nil {
		t.Fatal(err)
	}
	if err := storeA.AddNonce(ctx, s.Nonce); err != nil { // A records its outgoing nonce
		t.Fatal(err)
	}

	// The server reflects A's message back to A unchanged.
	if _, _, err := Open(p.ab, h, s); !errors.Is(err, ErrNotForMe) {
		t.Fatalf("unchanged reflection: %v", err)
	}
	// With receiver = A but sender still A.
	hr := h
	hr.Receiver = p.a.id
	if _, _, err := Open(p.ab, hr, s); !errors.Is(err, ErrFromSelf) {
		t.Fatalf("from self: %v", err)
	}
	// With the header rewritten as if B had sent it: the shared key is the
	// same both ways, so it authenticates; only the nonce store catches it.
	hr = h
	hr.Sender, hr.Receiver = p.b.id, p.a.id
	if _, _, err := Open(p.ab, hr, s); err != nil {
		t.Fatalf("rewritten reflection is expected to pass the stateless checks: %v", err)
	}
	if err := CheckNonce(ctx, storeA, s.Nonce); !errors.Is(err, ErrReplay) {
		t.Fatalf("reflection not caught by the nonce store: %v", err)
	}

	// B receives it once, then a replay.
	if err := CheckNonce(ctx, storeB, s.Nonce); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(p.ba, h, s); err != nil {
		t.Fatal(err)
	}
	if err := storeB.AddNonce(ctx, s.Nonce); err != nil {
		t.Fatal(err)
	}
	if err := CheckNonce(ctx, storeB, s.Nonce); !errors.Is(err, ErrReplay) {
		t.Fatalf("replay: %v", err)
	}
	// Addressed to a third party.
	hc := h
	hc.Receiver = mustID(t, "CAROL999")
	if _, _, err := Open(p.ba, hc, s); !errors.Is(err, ErrNotForMe) {
		t.Fatalf("not for me: %v", err)
	}
	// From someone who is not the keys' peer.
	hw := h
	hw.Sender = mustID(t, "CAROL999")
	if _, _, err := Open(p.ba, hw, s); !errors.Is(err, ErrWrongPeer) {
		t.Fatalf("wrong peer: %v", err)
	}
}

func TestOpenUnsupportedKeepsMetadata(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	h := header(p.a, p.b, 77)
	nonce := cryptobox.Nonce{1}
	meta, _ := appendMetadata(nil, Metadata{MessageID: 77}, 0)
	container, _ := Pad(zeroReader{}, []byte{0xa0, 1, 2, 3}) // a forward-security envelope
	s := Sealed{Nonce: nonce, MetadataBox: p.ab.mmk.Seal(nil, meta, &nonce), MessageBox: p.ab.box.Seal(nil, container, &nonce)}
	_, md, err := Open(p.ba, h, s)
	var ute *UnsupportedTypeError
	if !errors.As(err, &ute) || ute.Type != 0xa0 || md.MessageID != 77 {
		t.Fatalf("%v %+v", err, md)
	}
	// Bad padding inside an authentic box.
	s.MessageBox = p.ab.box.Seal(nil, []byte{TypeText, 'x', 0}, &nonce)
	if _, md, err := Open(p.ba, h, s); !errors.Is(err, ErrPadding) || md.MessageID != 77 {
		t.Fatalf("%v %+v", err, md)
	}
}

func TestSealRejects(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	good := header(p.a, p.b, 1)
	for name, mut := range map[string]func(*Header){
		"wrong sender":    func(h *Header) { h.Sender = p.b.id },
		"wrong receiver":  func(h *Header) { h.Receiver = mustID(t, "CAROL999") },
		"invalid id":      func(h *Header) { h.Receiver = csp.ID{} },
		"no time":         func(h *Header) { h.CreatedAt = time.Time{} },
		"after 2106":      func(h *Header) { h.CreatedAt = time.Unix(1<<32, 0) },
		"reserved flag":   func(h *Header) { h.Flags |= csp.FlagGroupReserved },
		"nickname binary": func(h *Header) { h.Nickname = "\xff" },
	} {
		h := good
		mut(&h)
		if _, err := Seal(rand.Reader, p.ab, h, Text{Text: "x"}); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
	if _, err := Seal(rand.Reader, p.ab, good, Text{}); !errors.Is(err, ErrInvalidField) {
		t.Errorf("empty text: %v", err)
	}
	if _, err := Seal(fixedReader(1, 2, 3), p.ab, good, Text{Text: "x"}); err == nil {
		t.Error("short rand accepted")
	}
	// The largest text fits in one envelope with the largest padding.
	big := Text{Text: string(bytes.Repeat([]byte("a"), MaxTextLen))}
	h := good
	h.Nickname = string(bytes.Repeat([]byte("n"), 100))
	s, err := Seal(fixedReader(append(make([]byte, 24), 253, 0, 15)...), p.ab, h, big)
	if err != nil {
		t.Fatal(err)
	}
	env, err := ToEnvelope(h, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.AppendTo(nil); err != nil {
		t.Fatal(err)
	}
}

func TestSealDeterministicLayout(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	h := header(p.a, p.b, 5)
	// nonce 24 × 0x07, container pad n = 10 % 255 + 1 = 11, metadata pad 3.
	r := fixedReader(append(bytes.Repeat([]byte{7}, 24), 10, 0, 3)...)
	s, err := Seal(r, p.ab, h, Text{Text: "0123456789abcdefghijklmnopqrstu"}) // 1 + 31 bytes
	if err != nil {
		t.Fatal(err)
	}
	if s.Nonce != (cryptobox.Nonce{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}) {
		t.Fatal("nonce not from rand")
	}
	plain, err := p.ba.box.Open(nil, s.MessageBox, &s.Nonce)
	if err != nil || len(plain) != 32+11 || plain[len(plain)-1] != 11 {
		t.Fatalf("container %x %v", plain, err)
	}
	meta, err := p.ba.mmk.Open(nil, s.MetadataBox, &s.Nonce)
	if err != nil || meta[0] != 0x0a || meta[1] != 3 {
		t.Fatalf("metadata %x %v", meta, err)
	}
}

// TestSmallOrderTable checks hasSmallOrder against curve25519.X25519, which
// refuses an all-zero result: on every key near 0 and near p (where four of
// the seven listed points are), on the two order-8 points, each with and
// without the ignored top bit, and on random keys, the two agree.
func TestSmallOrderTable(t *testing.T) {
	t.Parallel()
	sk := newParty(t, "ALICE123").kp.Secret
	var keys []cryptobox.PublicKey
	for _, h := range []string{
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	} {
		pub, err := cryptobox.ParsePublicKeyHex(h)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, pub)
	}
	for b0 := range 256 {
		low := cryptobox.PublicKey{byte(b0)}
		high := cryptobox.PublicKey{byte(b0)}
		for i := 1; i < 31; i++ {
			high[i] = 0xff
		}
		high[31] = 0x7f
		keys = append(keys, low, high)
	}
	for range 100 {
		keys = append(keys, newParty(t, "BOB45678").kp.Public)
	}
	listed := 0
	for _, pub := range keys {
		for _, top := range []byte{0, 0x80} {
			k := pub
			k[31] |= top
			_, err := curve25519.X25519(sk[:], k[:])
			if hasSmallOrder(k) != (err != nil) {
				t.Fatalf("%x: listed %v, X25519 error %v", k, hasSmallOrder(k), err)
			}
			if err != nil {
				listed++
			}
		}
	}
	if listed != 14 {
		t.Fatalf("%d small-order encodings found, want 7 × 2", listed)
	}
}

func TestPeerKeysPrintRedacted(t *testing.T) {
	t.Parallel()
	p := newPair(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%x", "%s"} {
		out := fmt.Sprintf(verb, p.ab)
		if strings.Contains(out, fmt.Sprintf("%x", p.ab.box[:4])) || strings.Contains(out, fmt.Sprintf("%x", p.ab.mmk[:4])) ||
			strings.Contains(out, fmt.Sprint(p.ab.box[0], " ", p.ab.box[1])) {
			t.Fatalf("%s prints key bytes: %s", verb, out)
		}
	}
}
