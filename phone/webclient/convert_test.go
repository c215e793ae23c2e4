package webclient

import (
	"reflect"
	"testing"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

func TestReceiverOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key  string
		want wc.Receiver
		ok   bool
	}{
		{"ABCD1234", wc.Receiver{Type: wc.ReceiverContact, ID: "ABCD1234"}, true},
		{store.GroupKey("ABCD1234", 0x0102030405060708), wc.Receiver{Type: wc.ReceiverGroup, ID: groupWireID("ABCD1234", 0x0102030405060708)}, true},
		{store.ListKey(3), wc.Receiver{Type: wc.ReceiverDistributionList, ID: "3"}, true},
		{"l:0", wc.Receiver{}, false},
		{"l:x", wc.Receiver{}, false},
		{"abcd", wc.Receiver{}, false},
	} {
		got, ok := receiverOf(tc.key)
		if got != tc.want || ok != tc.ok {
			t.Errorf("receiverOf(%q) = %+v, %v; want %+v, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMessageOf(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name string
		in   store.Message
		typ  wc.MessageType
		st   wc.MessageState
		body string
	}{
		{"incoming text", store.Message{Seq: 7, Type: e2e.TypeText, Body: "hi", State: store.StateReceived, CreatedAt: at}, wc.MessageText, wc.StateDelivered, "hi"},
		{"outgoing sending", store.Message{Seq: 8, Type: e2e.TypeGroupText, Body: "x", Outgoing: true, State: store.StateSending}, wc.MessageText, wc.StateSending, "x"},
		{"read", store.Message{Seq: 9, Type: e2e.TypeText, Outgoing: true, State: store.StateRead}, wc.MessageText, wc.StateRead, ""},
		{"failed", store.Message{Seq: 10, Type: e2e.TypeText, Outgoing: true, State: store.StateFailed}, wc.MessageText, wc.StateSendFailed, ""},
		{"user ack is a reaction, not a state", store.Message{Seq: 11, Type: e2e.TypeText, Outgoing: true, State: store.StateRead, UserAck: 3}, wc.MessageText, wc.StateRead, ""},
		{"unknown type hides body", store.Message{Seq: 12, Type: 0x7f, Body: "secret"}, wc.MessageUnknown, wc.StateDelivered, ""},
	} {
		got := storedMessageOf(tc.in)
		if got.Type != tc.typ || got.State != tc.st || got.Body != tc.body || got.SortKey != tc.in.Seq {
			t.Errorf("%s: %+v", tc.name, got)
		}
	}
}

func TestMessageOfVoice(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		extra    string
		typ      wc.MessageType
		duration uint32
	}{
		{"voice message", `{"blob_id":"00","key":"00","mime":"audio/aac","size":9,"rendering":1,"duration":3.6}`, wc.MessageAudio, 4},
		{"audio as a plain file", `{"blob_id":"00","key":"00","mime":"audio/mpeg","size":9,"rendering":0}`, wc.MessageFile, 0},
		{"not audio", `{"blob_id":"00","key":"00","mime":"application/pdf","size":9,"rendering":1}`, wc.MessageFile, 0},
	} {
		got := storedMessageOf(store.Message{Seq: 1, Type: e2e.TypeFile, Extra: tc.extra})
		if got.Type != tc.typ || got.File == nil {
			t.Errorf("%s: %+v", tc.name, got)
			continue
		}
		if (got.Audio != nil) != (tc.typ == wc.MessageAudio) || (got.Audio != nil && got.Audio.Duration != tc.duration) {
			t.Errorf("%s: audio %+v", tc.name, got.Audio)
		}
	}
}

// TestMessageOfImageRendering: an image with rendering "media" (or a
// sticker) is Threema Web's image; sent "as a file" (rendering "file") it
// stays a file, its thumbnail kept, as the Android app converts it.
func TestMessageOfImageRendering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		extra string
		typ   wc.MessageType
		inApp bool
	}{
		{"image as media", `{"blob_id":"00","key":"00","mime":"image/jpeg","size":9,"thumbnail_blob_id":"01","rendering":1}`, wc.MessageImage, true},
		{"sticker", `{"blob_id":"00","key":"00","mime":"image/png","size":9,"thumbnail_blob_id":"01","rendering":2}`, wc.MessageImage, false},
		{"image sent as a file", `{"blob_id":"00","key":"00","mime":"image/jpeg","size":9,"thumbnail_blob_id":"01","rendering":0}`, wc.MessageFile, false},
		{"image without a thumbnail", `{"blob_id":"00","key":"00","mime":"image/jpeg","size":9,"rendering":1}`, wc.MessageFile, true},
	} {
		got := storedMessageOf(store.Message{Seq: 1, Type: e2e.TypeFile, Extra: tc.extra})
		if got.Type != tc.typ || got.File == nil || got.File.InApp != tc.inApp {
			t.Errorf("%s: type %s, file %+v; want %s, inApp %v", tc.name, got.Type, got.File, tc.typ, tc.inApp)
			continue
		}
		if got.Thumbnail == nil && tc.name != "image without a thumbnail" {
			t.Errorf("%s: the thumbnail was dropped", tc.name)
		}
	}
}

func TestGroupWireIDIncludesCreator(t *testing.T) {
	t.Parallel()
	a, b := groupWireID("AAAAAAAA", 42), groupWireID("BBBBBBBB", 42)
	if a == b {
		t.Fatal("two creators' groups with the same id share a wire id")
	}
	if a != groupWireID("AAAAAAAA", 42) || len(a) != 16 {
		t.Fatalf("wire id %q is not stable 16 hex digits", a)
	}
	if err := (wc.Receiver{Type: wc.ReceiverGroup, ID: a}).Validate(); err != nil {
		t.Fatalf("wire id %q is not a valid receiver id: %v", a, err)
	}
}

func TestMessageOfReactionsAndEdit(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_700_000_000, 0)
	m := store.Message{Seq: 5, Type: e2e.TypeGroupText, Body: "fixed", State: store.StateReceived, CreatedAt: at, EditedAt: at.Add(time.Minute),
		Reactions: []store.Reaction{ // newest first, as the store lists them
			{Identity: "BBBBBBBB", Emoji: "👍", At: at.Add(3 * time.Second)},
			{Identity: "AAAAAAAA", Emoji: "🎉", At: at.Add(2 * time.Second)},
			{Identity: "AAAAAAAA", Emoji: "👍", At: at.Add(time.Second)},
		}}
	got := storedMessageOf(m)
	want := []wc.EmojiReaction{{Emoji: "👍", Identities: []string{"BBBBBBBB", "AAAAAAAA"}}, {Emoji: "🎉", Identities: []string{"AAAAAAAA"}}}
	if !reflect.DeepEqual(got.EmojiReactions, want) || got.LastEditedAt != at.Add(time.Minute).Unix() {
		t.Fatalf("%+v %d", got.EmojiReactions, got.LastEditedAt)
	}
	if got := storedMessageOf(store.Message{Seq: 6, Type: e2e.TypeText}); got.EmojiReactions != nil || got.LastEditedAt != 0 {
		t.Fatalf("plain message: %+v", got)
	}
}
