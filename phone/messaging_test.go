package phone

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := range 600 {
		for x := range 800 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 99, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTwoPhonesEveryMessageType(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "Alice"), w.newPhone(t, "Bob")
	a.start()
	b.start()
	ctx := tctx(t)
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}

	// Text A→B: stored at B, delivered receipt back, then read on demand.
	const secret = "the eagle lands at dawn"
	m, err := a.SendText(ctx, b.ID(), secret)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != store.StateSending {
		t.Fatalf("state %s", m.State)
	}
	e := b.waitMessage(a.ID())
	if e.Message.Body != secret || e.Message.MessageID != m.MessageID {
		t.Fatalf("B got %+v", e.Message)
	}
	a.waitState(m.MessageID, "delivered")
	if err := b.MarkRead(ctx, a.ID(), m.MessageID); err != nil {
		t.Fatal(err)
	}
	a.waitState(m.MessageID, "read")
	if err := b.SendReceipt(ctx, a.ID(), e2e.ReceiptAcknowledged, m.MessageID); err != nil {
		t.Fatal(err)
	}
	a.wait("user ack", func(e Event) bool { return e.Kind == EventMessageState && e.UserAck == 3 })
	// B's contact for A was created from the directory, with A's nickname.
	c, err := b.Store().Contact(ctx, a.ID())
	if err != nil || c.Verification != store.VerificationDirectory || c.Nickname != "Alice" {
		t.Fatalf("B's contact of A: %+v %v", c, err)
	}

	// Text B→A, then decline.
	m2, err := b.SendText(ctx, a.ID(), "pong")
	if err != nil {
		t.Fatal(err)
	}
	if got := a.waitMessage(b.ID()); got.Message.Body != "pong" {
		t.Fatalf("A got %q", got.Message.Body)
	}
	if err := a.SendReceipt(ctx, b.ID(), e2e.ReceiptDeclined, m2.MessageID); err != nil {
		t.Fatal(err)
	}
	b.wait("decline", func(e Event) bool { return e.Kind == EventMessageState && e.UserAck == 4 })

	// Location both ways.
	loc := e2e.Location{Latitude: 47.3769, Longitude: 8.5417, Accuracy: 10, Name: "HB", Address: "Bahnhofplatz, Zürich"}
	if _, err := a.SendLocation(ctx, b.ID(), loc); err != nil {
		t.Fatal(err)
	}
	if got := b.waitMessage(a.ID()); got.Message.Type != e2e.TypeLocation || got.Message.Extra == "" {
		t.Fatalf("location %+v", got.Message)
	}
	if _, err := b.SendLocation(ctx, a.ID(), e2e.Location{Latitude: -33.9, Longitude: 151.2}); err != nil {
		t.Fatal(err)
	}
	if got := a.waitMessage(b.ID()); got.Message.Type != e2e.TypeLocation {
		t.Fatalf("location %+v", got.Message)
	}

	// Files both ways: an image with a thumbnail, and a plain file.
	pic := testPNG(t)
	if _, err := a.SendFile(ctx, b.ID(), FileInput{Name: "p.png", MIME: "image/png", Data: pic, Caption: "look"}); err != nil {
		t.Fatal(err)
	}
	got := b.waitMessage(a.ID())
	if got.Message.Type != e2e.TypeFile || got.Message.Body != "look" {
		t.Fatalf("file %+v", got.Message)
	}
	data, err := b.DownloadFile(ctx, *got.Message)
	if err != nil || !bytes.Equal(data, pic) {
		t.Fatalf("download: %v (%d bytes)", err, len(data))
	}
	// B was done with the blob, so the blob server dropped it; both
	// phones still have the file, as phones keep what they send and get.
	fi, err := FileInfoOf(*got.Message)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.download(ctx, fi.BlobID, fi.Key, &fileNonce); err == nil {
		t.Fatal("the blob is still on the blob server after B was done")
	}
	if again, err := b.DownloadFile(ctx, *got.Message); err != nil || !bytes.Equal(again, pic) {
		t.Fatalf("B's second download: %v (%d bytes)", err, len(again))
	}
	sent, err := a.Store().Messages(ctx, b.ID(), 0, 1)
	if err != nil || len(sent) != 1 {
		t.Fatalf("A's sent file: %+v, %v", sent, err)
	}
	if mine, err := a.DownloadFile(ctx, sent[0]); err != nil || !bytes.Equal(mine, pic) {
		t.Fatalf("A's own file after B was done: %v (%d bytes)", err, len(mine))
	}
	thumb, err := b.DownloadThumbnail(ctx, *got.Message)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(thumb)); err != nil || cfg.Width != 512 || cfg.Height != 384 {
		t.Fatalf("thumbnail %+v %v", cfg, err)
	}
	doc := []byte("plain document")
	if _, err := b.SendFile(ctx, a.ID(), FileInput{Name: "d.txt", MIME: "text/plain", Data: doc}); err != nil {
		t.Fatal(err)
	}
	got = a.waitMessage(b.ID())
	if data, err := a.DownloadFile(ctx, *got.Message); err != nil || !bytes.Equal(data, doc) {
		t.Fatalf("download: %v", err)
	}

	// Typing.
	if err := a.SendTyping(ctx, b.ID(), true); err != nil {
		t.Fatal(err)
	}
	b.wait("typing", func(e Event) bool { return e.Kind == EventTyping && e.Peer == a.ID() && e.Typing })
	if err := b.SendTyping(ctx, a.ID(), false); err != nil {
		t.Fatal(err)
	}
	a.wait("typing stopped", func(e Event) bool { return e.Kind == EventTyping && e.Peer == b.ID() && !e.Typing })

	// Edit and delete (both announce 0x100 and 0x200).
	if _, err := a.EditMessage(ctx, b.ID(), m.MessageID, "edited"); err != nil {
		t.Fatal(err)
	}
	ed := b.wait("edit", func(e Event) bool { return e.Kind == EventMessageEdited && e.MessageID == m.MessageID })
	if ed.Message.Body != "edited" || ed.Message.EditedAt.IsZero() {
		t.Fatalf("edited %+v", ed.Message)
	}
	if err := a.DeleteMessage(ctx, b.ID(), m.MessageID); err != nil {
		t.Fatal(err)
	}
	b.wait("delete", func(e Event) bool { return e.Kind == EventMessageDeleted && e.MessageID == m.MessageID })
	if msg, err := b.Store().Message(ctx, a.ID(), a.ID(), m.MessageID); err != nil || msg.Body != "" || msg.DeletedAt.IsZero() {
		t.Fatalf("deleted message %+v %v", msg, err)
	}

	// Limits and the log: no text over 6000 bytes, and no message text in any log line.
	if _, err := a.SendText(ctx, b.ID(), string(make([]byte, 6001))); !errors.Is(err, ErrInvalid) {
		t.Fatalf("oversized text: %v", err)
	}
	if a.logs.contains(secret) || b.logs.contains(secret) || b.logs.contains("pong") {
		t.Fatal("message text in a log line")
	}
	// History: every message once, in order.
	msgs, err := a.Store().Messages(ctx, b.ID(), 0, 0)
	if err != nil || len(msgs) != 6 {
		t.Fatalf("A's history: %d messages, %v", len(msgs), err)
	}
}

func TestDistributionList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b, c := w.newPhone(t, "A"), w.newPhone(t, "B"), w.newPhone(t, "C")
	a.start()
	b.start()
	c.start()
	ctx := tctx(t)
	l, err := a.CreateList(ctx, "friends", []string{b.ID(), c.ID()})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := a.SendListText(ctx, l.ID, "to all")
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%d %v", len(msgs), err)
	}
	for _, p := range []*testPhone{b, c} {
		if e := p.waitMessage(a.ID()); e.Message.Body != "to all" || e.Conversation != a.ID() {
			t.Fatalf("%+v", e)
		}
	}
	if lm, err := a.Store().Messages(ctx, l.Key(), 0, 0); err != nil || len(lm) != 1 {
		t.Fatalf("list conversation: %d %v", len(lm), err)
	}
}
