package phonelink

import (
	"bytes"
	"context"
	"testing"

	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/saltyrtc"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// TestDropPerTask drives the desktop (Conn) and the phone (webclient.Server)
// through a dropped link on both tasks, with the one cache and framing of
// protocol/webclient on each side:
//   - on the Relayed Data task (a phone that offers only it, as the iOS app
//     does) messages travel as 64 KiB chunks through the signalling server,
//     both sides ack, and the next connection resumes: the phone replays
//     what was pushed in the gap;
//   - on the WebRTC task with a phone that has no connectionAck (the Android
//     app), nothing is kept for a resume, and the next connection starts
//     fresh and works.
func TestDropPerTask(t *testing.T) {
	bj := phonetest.Backend(t)
	ios, _ := phonetest.Phone(t, bj, "Ios")
	android, _ := phonetest.Phone(t, bj, "Android")
	bob, _ := phonetest.Phone(t, bj, "Bob")
	phonetest.Befriend(t, ios, bob)
	phonetest.Befriend(t, android, bob)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	srv := signalingOf(t, bj)
	pair := func(desktops *webclient.Server) (*Conn, Offer) {
		t.Helper()
		return pairConn(ctx, t, srv, desktops)
	}

	t.Run("relayed data resumes", func(t *testing.T) {
		c1, offer := pair(startDesktopsWith(t, ios, webclient.Config{RelayedData: true}))
		if name := c1.rs.Task().Name(); name != rtclink.RelayedDataTaskName {
			t.Fatalf("task %s", name)
		}
		// A file of many chunks each way: up as create/fileMessage, back as the blob.
		body := bytes.Repeat([]byte("relayed chunks "), 20000) // 300 kB: 5 chunks
		bobR := wc.Receiver{Type: wc.ReceiverContact, ID: bob.ID()}
		r, err := c1.Request(ctx, wc.NewFileMessageCreate("", wc.FileMessageCreate{Receiver: bobR, Name: "big.txt",
			FileType: "text/plain", Size: uint64(len(body)), Data: body}))
		if err != nil {
			t.Fatal(err)
		}
		created, err := wc.DecodeMessageCreated(r)
		if err != nil {
			t.Fatal(err)
		}
		r, err = c1.Request(ctx, wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: wc.TypeRequest, SubType: wc.SubBlob},
			Receiver: bobR, MessageID: created.MessageID}))
		if err != nil {
			t.Fatal(err)
		}
		if blob, err := wc.DecodeBlobResponse(r); err != nil || !bytes.Equal(blob.Blob, body) {
			t.Fatalf("blob of %d bytes back: %v", len(blob.Blob), err)
		}
		if _, err := bob.SendText(ctx, ios.ID(), "before the drop"); err != nil {
			t.Fatal(err)
		}
		textUpdate(t, ctx, c1, "before the drop")

		_ = c1.rs.Close(saltyrtc.CloseGoingAway) // the network drops the link: no goodbye
		<-c1.Done()
		prev := c1.ResumeState()
		if prev == nil {
			t.Fatal("a dropped relayed connection left nothing to resume")
		}
		if _, err := bob.SendText(ctx, ios.ID(), "in the gap"); err != nil {
			t.Fatal(err)
		}
		c2, err := Dial(ctx, DialConfig{Server: srv, Key: offer.Key, TrustedPeer: c1.PeerKey(), Resume: prev})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c2.Close(wc.DisconnectStop) }()
		if !c2.Resumed() {
			t.Fatal("the relayed connection was not resumed")
		}
		textUpdate(t, ctx, c2, "in the gap")
		if _, err := c2.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("webrtc without acks starts fresh", func(t *testing.T) {
		// Both ends log to the test: this case failed once in CI with the
		// second dial's channel closed by the phone, and its cause is not
		// known yet.
		log := testLogger(t)
		c1, offer := pair(startDesktopsWith(t, android, webclient.Config{LikeAndroid: true, Logger: log.With("end", "phone")}))
		if name := c1.rs.Task().Name(); name != rtclink.WebRTCTaskName {
			t.Fatalf("task %s", name)
		}
		if _, err := c1.Request(ctx, wc.NewRequest(wc.SubProfile, "")); err != nil {
			t.Fatal(err)
		}
		_ = c1.rs.Close(saltyrtc.CloseGoingAway)
		<-c1.Done()
		if prev := c1.ResumeState(); prev != nil {
			t.Fatal("a connection without acks left resume state")
		}
		c2, err := Dial(ctx, DialConfig{Server: srv, Key: offer.Key, TrustedPeer: c1.PeerKey(), Logger: log.With("end", "desktop")})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = c2.Close(wc.DisconnectStop) }()
		if c2.Resumed() {
			t.Fatal("resumed without acks")
		}
		if _, err := bob.SendText(ctx, android.ID(), "after the fresh start"); err != nil {
			t.Fatal(err)
		}
		textUpdate(t, ctx, c2, "after the fresh start")
	})
}
