package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// katVector is testdata/e2e_kat.json, written by testdata/e2e_kat.py from
// an independent Python implementation of X25519, XSalsa20-Poly1305 and the
// protobuf and padding layouts, with hashlib's BLAKE2b for the metadata key.
type katVector struct {
	AID         string `json:"a_id"`
	ASecret     string `json:"a_secret"`
	APublic     string `json:"a_public"`
	BID         string `json:"b_id"`
	BSecret     string `json:"b_secret"`
	BPublic     string `json:"b_public"`
	SharedKey   string `json:"shared_key"`
	MetadataKey string `json:"metadata_key"`
	Nonce       string `json:"nonce"`
	PadRand     string `json:"pad_rand"`
	MetadataPad byte   `json:"metadata_pad"`
	MessageID   uint64 `json:"message_id"`
	CreatedAtMs int64  `json:"created_at_ms"`
	Nickname    string `json:"nickname"`
	Text        string `json:"text"`
	Metadata    string `json:"metadata"`
	Container   string `json:"container"`
	MetadataBox string `json:"metadata_box"`
	MessageBox  string `json:"message_box"`
}

func loadKAT(t testing.TB) katVector {
	t.Helper()
	raw, err := os.ReadFile("testdata/e2e_kat.json")
	if err != nil {
		t.Fatal(err)
	}
	var v katVector
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestKnownAnswer(t *testing.T) {
	t.Parallel()
	v := loadKAT(t)
	aSec, _ := cryptobox.ParseSecretKey(unhex(t, v.ASecret))
	bSec, _ := cryptobox.ParseSecretKey(unhex(t, v.BSecret))
	aPub, _ := cryptobox.ParsePublicKey(unhex(t, v.APublic))
	bPub, _ := cryptobox.ParsePublicKey(unhex(t, v.BPublic))
	a, b := mustID(t, v.AID), mustID(t, v.BID)
	ab, err := NewPeerKeys(a, aSec, b, bPub)
	if err != nil {
		t.Fatal(err)
	}
	ba, err := NewPeerKeys(b, bSec, a, aPub)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ab.box[:], unhex(t, v.SharedKey)) || !bytes.Equal(ab.mmk[:], unhex(t, v.MetadataKey)) {
		t.Fatalf("keys differ from the vector: box %x mmk %x", ab.box[:], ab.mmk[:])
	}
	created := time.UnixMilli(v.CreatedAtMs).UTC()
	meta, err := appendMetadata(nil, Metadata{Nickname: v.Nickname, MessageID: v.MessageID, CreatedAt: created}, int(v.MetadataPad))
	if err != nil || !bytes.Equal(meta, unhex(t, v.Metadata)) {
		t.Fatalf("metadata %x, %v", meta, err)
	}
	h := Header{Sender: a, Receiver: b, MessageID: v.MessageID, CreatedAt: created, Flags: csp.FlagPush, Nickname: v.Nickname}
	r := bytes.NewReader(bytes.Join([][]byte{unhex(t, v.Nonce), unhex(t, v.PadRand), {v.MetadataPad}}, nil))
	s, err := Seal(r, ab, h, Text{Text: v.Text})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.MetadataBox, unhex(t, v.MetadataBox)) {
		t.Errorf("metadata box %x", s.MetadataBox)
	}
	if !bytes.Equal(s.MessageBox, unhex(t, v.MessageBox)) {
		t.Errorf("message box %x", s.MessageBox)
	}
	plain, err := ba.box.Open(nil, s.MessageBox, &s.Nonce)
	if err != nil || !bytes.Equal(plain, unhex(t, v.Container)) {
		t.Fatalf("container %x, %v", plain, err)
	}
	m, md, err := Open(ba, h, s)
	if err != nil || m != (Text{Text: v.Text}) || md.Nickname != v.Nickname || !md.CreatedAt.Equal(created) || md.MessageID != v.MessageID {
		t.Fatalf("open: %#v %+v %v", m, md, err)
	}
}
