package app

import (
	"reflect"
	"testing"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestReactionsOf: emojiReactions are taken as the phone sends them; an
// app without them (older Threema apps) says agree/decline in the state,
// which in a 1:1 chat is the other side's thumb.
func TestReactionsOf(t *testing.T) {
	bob := Receiver{Type: ReceiverContact, ID: "BOB00001"}
	group := Receiver{Type: ReceiverGroup, ID: "0102030405060708"}
	for _, tc := range []struct {
		name string
		r    Receiver
		m    wc.Message
		want []Reaction
	}{
		{"emoji reactions", bob, wc.Message{EmojiReactions: []wc.EmojiReaction{{Emoji: "🎉", Identities: []string{"BOB00001", "ME000001"}}}},
			[]Reaction{{Emoji: "🎉", Identities: []string{"BOB00001", "ME000001"}}}},
		{"Bob agreed to mine", bob, wc.Message{IsOutbox: true, State: wc.StateUserAck}, []Reaction{{Emoji: ThumbsUp, Identities: []string{"BOB00001"}}}},
		{"I declined Bob's", bob, wc.Message{State: wc.StateUserDec}, []Reaction{{Emoji: ThumbsDown, Identities: []string{"ME000001"}}}},
		{"delivered: none", bob, wc.Message{State: wc.StateDelivered}, []Reaction{}},
		{"a group's state says nothing of who", group, wc.Message{State: wc.StateUserAck}, []Reaction{}},
	} {
		if got := reactionsOf(tc.m, tc.r, "ME000001"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
