package e2e

import (
	"reflect"
	"testing"
)

// TestReactionDecodeLiberal checks what the decoder accepts beyond Encode's
// own output: fields in any order, unknown fields of every wire type, and
// protobuf's last-one-wins for repeated fields and for the oneof.
func TestReactionDecodeLiberal(t *testing.T) {
	t.Parallel()
	creator := []byte("ALICE123")
	id := func(v uint64) []byte { return cat([]byte{0x09}, u64(v)) }
	apply := func(s string) []byte { return append([]byte{0x12, byte(len(s))}, s...) }
	withdraw := func(s string) []byte { return append([]byte{0x1a, byte(len(s))}, s...) }
	for _, tc := range []struct {
		name string
		in   []byte
		want Message
	}{
		{"emoji before id", cat([]byte{TypeReaction}, apply(ThumbsUp), id(7)), Reaction{MessageID: 7, Emoji: ThumbsUp}},
		{"unknown varint, fixed32, bytes, fixed64", cat([]byte{TypeReaction},
			[]byte{0x20, 0x96, 0x01}, []byte{0x2d, 1, 2, 3, 4}, []byte{0x32, 0x02, 'h', 'i'}, []byte{0x39}, u64(9),
			id(7), apply("x")), Reaction{MessageID: 7, Emoji: "x"}},
		{"apply then withdraw", cat([]byte{TypeReaction}, id(7), apply(ThumbsUp), withdraw(ThumbsDown)),
			Reaction{MessageID: 7, Withdraw: true, Emoji: ThumbsDown}},
		{"withdraw then apply", cat([]byte{TypeReaction}, id(7), withdraw(ThumbsDown), apply(ThumbsUp)),
			Reaction{MessageID: 7, Emoji: ThumbsUp}},
		{"id twice", cat([]byte{TypeReaction}, id(0), apply("x"), id(8)), Reaction{MessageID: 8, Emoji: "x"}},
		{"not an emoji is still accepted", cat([]byte{TypeReaction}, id(7), apply("ok")), Reaction{MessageID: 7, Emoji: "ok"}},
		{"longest", cat([]byte{TypeReaction}, id(7), apply(string(make([]byte, MaxReactionLen)))),
			Reaction{MessageID: 7, Emoji: string(make([]byte, MaxReactionLen))}},
		{"group", cat([]byte{TypeGroupReaction}, creator, u64(3), []byte{0x20, 0x01}, withdraw("🎉"), id(7)),
			GroupReaction{Group: Group{Creator: mustID(t, "ALICE123"), ID: 3}, Reaction: Reaction{MessageID: 7, Withdraw: true, Emoji: "🎉"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := Decode(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m, tc.want) {
				t.Fatalf("got %#v, want %#v", m, tc.want)
			}
		})
	}
}

func TestReactionLegacyMapping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		r    Reaction
		want ReceiptStatus
		ok   bool
	}{
		{Reaction{Emoji: ThumbsUp}, ReceiptAcknowledged, true},
		{Reaction{Emoji: ThumbsDown}, ReceiptDeclined, true},
		{Reaction{Emoji: ThumbsUp + "\U0001F3FB"}, ReceiptAcknowledged, true},
		{Reaction{Emoji: ThumbsDown + "\U0001F3FF"}, ReceiptDeclined, true},
		{Reaction{Emoji: ThumbsUp, Withdraw: true}, 0, false},
		{Reaction{Emoji: ThumbsDown, Withdraw: true}, 0, false},
		{Reaction{Emoji: ThumbsUp + "\U0001F3FB\U0001F3FB"}, 0, false},
		{Reaction{Emoji: ThumbsUp + "\ufe0f"}, 0, false},
		{Reaction{Emoji: ThumbsUp + "x"}, 0, false},
		{Reaction{Emoji: "\u2764\ufe0f"}, 0, false},
		{Reaction{Emoji: ""}, 0, false},
	} {
		st, ok := tc.r.LegacyStatus()
		if st != tc.want || ok != tc.ok {
			t.Errorf("%+q withdraw %v: %d %v, want %d %v", tc.r.Emoji, tc.r.Withdraw, st, ok, tc.want, tc.ok)
		}
	}
	for st, want := range map[ReceiptStatus]string{ReceiptAcknowledged: ThumbsUp, ReceiptDeclined: ThumbsDown, ReceiptReceived: "", ReceiptRead: "", 0: ""} {
		got, ok := LegacyReaction(st)
		if got != want || ok != (want != "") {
			t.Errorf("status %d: %q %v", st, got, ok)
		}
		if ok {
			if back, ok := (Reaction{MessageID: 1, Emoji: got}).LegacyStatus(); !ok || back != st {
				t.Errorf("status %d does not map back: %d %v", st, back, ok)
			}
		}
	}
}
