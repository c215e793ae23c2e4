package webclient

import (
	"errors"
	"strings"
	"testing"
)

func TestTypedRejects(t *testing.T) {
	t.Parallel()
	contactArgs := func(extra map[string]any) map[string]any {
		a := map[string]any{"type": "contact", "id": bob}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name    string
		m       WireMessage
		fromWeb bool
		want    error
	}{
		{"unknown subType", WireMessage{Type: TypeRequest, SubType: "teleport"}, true, ErrUnknownMessage},
		{"wrong direction", WireMessage{Type: TypeResponse, SubType: SubReceivers}, true, ErrUnknownMessage},
		{"connectionInfo id size", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": make([]byte, 15)}}, true, ErrField},
		{"connectionInfo id type", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": "abc"}}, true, ErrField},
		{"connectionInfo no data", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo}, true, ErrField},
		{"resume seq range", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": make([]byte, 16),
			"resume": map[string]any{"id": make([]byte, 16), "sequenceNumber": int64(1) << 32}}}, true, ErrField},
		{"resume negative seq", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": make([]byte, 16),
			"resume": map[string]any{"id": make([]byte, 16), "sequenceNumber": int64(-1)}}}, true, ErrField},
		{"disconnect reason", WireMessage{Type: TypeUpdate, SubType: SubConnectionDisconnect, Data: map[string]any{"reason": "bored"}}, true, ErrField},
		{"messages no receiver", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: map[string]any{"type": "contact"}}, true, ErrReceiver},
		{"messages bad identity", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: map[string]any{"type": "contact", "id": "bob"}}, true, ErrReceiver},
		{"messages bad type", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: map[string]any{"type": "channel", "id": bob}}, true, ErrReceiver},
		{"messages bad group id", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: map[string]any{"type": "group", "id": "12ab"}}, true, ErrReceiver},
		{"text too long", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: contactArgs(nil), Data: map[string]any{"text": long(MaxTextBytes + 1)}}, true, ErrTooLong},
		{"text empty", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: contactArgs(nil), Data: map[string]any{"text": ""}}, true, ErrField},
		{"text not a string", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: contactArgs(nil), Data: map[string]any{"text": []byte("hi")}}, true, ErrField},
		{"text invalid utf8", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: contactArgs(nil), Data: map[string]any{"text": "\xff"}}, true, ErrField},
		{"text to me", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: map[string]any{"type": "me", "id": alice}, Data: map[string]any{"text": "x"}}, true, ErrReceiver},
		{"file size mismatch", WireMessage{Type: TypeCreate, SubType: SubFileMessage, Args: contactArgs(nil), Data: map[string]any{"name": "a",
			"fileType": "text/plain", "size": 3, "data": []byte("ab")}}, true, ErrField},
		{"file no data", WireMessage{Type: TypeCreate, SubType: SubFileMessage, Args: contactArgs(nil), Data: map[string]any{"name": "a",
			"fileType": "text/plain", "size": 0}}, true, ErrField},
		{"file too big", WireMessage{Type: TypeCreate, SubType: SubFileMessage, Args: contactArgs(nil), Data: map[string]any{"name": "a",
			"fileType": "text/plain", "size": MaxFileSize + 1, "data": make([]byte, MaxFileSize+1)}}, true, ErrTooLong},
		{"file name too long", WireMessage{Type: TypeCreate, SubType: SubFileMessage, Args: contactArgs(nil), Data: map[string]any{"name": long(MaxFileNameBytes + 1),
			"fileType": "text/plain", "size": 1, "data": []byte("a")}}, true, ErrTooLong},
		{"reaction missing emoji", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"withdraw": true}}, true, ErrField},
		{"reaction empty emoji", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"emoji": ""}}, true, ErrField},
		{"reaction emoji too long", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"emoji": long(MaxReactionEmojiBytes + 1)}}, true, ErrTooLong},
		{"reaction emoji invalid utf8", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"emoji": "\xff"}}, true, ErrField},
		{"reaction no data", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(map[string]any{"messageId": "1"})}, true, ErrField},
		{"reaction no messageId", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: contactArgs(nil), Data: map[string]any{"emoji": "x"}}, true, ErrField},
		{"reaction bad receiver", WireMessage{Type: TypeRequest, SubType: SubReaction, Args: map[string]any{"type": "contact", "id": "bob", "messageId": "1"},
			Data: map[string]any{"emoji": "x"}}, true, ErrReceiver},
		{"edit missing text", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"caption": "x"}}, true, ErrField},
		{"edit text not a string", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"text": []byte("x")}}, true, ErrField},
		{"edit text too long", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"text": long(MaxTextBytes + 1)}}, true, ErrTooLong},
		{"edit text invalid utf8", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"text": "\xff"}}, true, ErrField},
		{"edit no data", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"})}, true, ErrField},
		{"edit no messageId", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(nil), Data: map[string]any{"text": "x"}}, true, ErrField},
		{"edit empty messageId", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": ""}),
			Data: map[string]any{"text": "x"}}, true, ErrField},
		{"edit bad receiver", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: map[string]any{"type": "contact", "id": "bob", "messageId": "1"},
			Data: map[string]any{"text": "x"}}, true, ErrReceiver},
		{"edit no args", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Data: map[string]any{"text": "x"}}, true, ErrField},
		{"edit from the app", WireMessage{Type: TypeRequest, SubType: SubEditMessage, Args: contactArgs(map[string]any{"messageId": "1"}),
			Data: map[string]any{"text": "x"}}, false, ErrUnknownMessage},
		{"delete for everyone no messageId", WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone, Args: contactArgs(nil)}, true, ErrField},
		{"delete for everyone messageId a bool", WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone,
			Args: contactArgs(map[string]any{"messageId": true})}, true, ErrField},
		{"delete for everyone bad receiver", WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone,
			Args: map[string]any{"type": "group", "id": "12ab", "messageId": "1"}}, true, ErrReceiver},
		{"delete for everyone no args", WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone}, true, ErrField},
		{"ack missing acknowledged", WireMessage{Type: TypeRequest, SubType: SubAck, Args: contactArgs(map[string]any{"messageId": "1"})}, true, ErrField},
		{"read missing messageId", WireMessage{Type: TypeRequest, SubType: SubRead, Args: contactArgs(nil)}, true, ErrField},
		{"nickname too long", WireMessage{Type: TypeUpdate, SubType: SubProfile, Data: map[string]any{"publicNickname": long(MaxNicknameBytes + 1)}}, true, ErrTooLong},
		{"first name too long", WireMessage{Type: TypeUpdate, SubType: SubContact, Args: map[string]any{"identity": bob},
			Data: map[string]any{"firstName": long(MaxNameBytes + 1)}}, true, ErrTooLong},
		{"contact bad identity", WireMessage{Type: TypeCreate, SubType: SubContact, Args: map[string]any{"identity": "bob"}}, true, ErrInvalidIdentity},
		{"group name too long", WireMessage{Type: TypeCreate, SubType: SubGroup, Data: map[string]any{"members": []any{bob}, "name": long(MaxNameBytes + 1)}}, true, ErrTooLong},
		{"group no members", WireMessage{Type: TypeCreate, SubType: SubGroup, Data: map[string]any{"members": []any{}, "name": "g"}}, true, ErrNoMembers},
		{"group bad member", WireMessage{Type: TypeCreate, SubType: SubGroup, Data: map[string]any{"members": []any{"x"}}}, true, ErrField},
		{"group member not string", WireMessage{Type: TypeCreate, SubType: SubGroup, Data: map[string]any{"members": []any{int8(1)}}}, true, ErrField},
		{"group delete type", WireMessage{Type: TypeDelete, SubType: SubGroup, Args: map[string]any{"id": "42", "deleteType": "explode"}}, true, ErrField},
		{"group update bad id", WireMessage{Type: TypeUpdate, SubType: SubGroup, Args: map[string]any{"id": "x"},
			Data: map[string]any{"members": []any{bob}}}, true, ErrInvalidGroup},
		{"list name too long", WireMessage{Type: TypeCreate, SubType: SubDistributionList, Data: map[string]any{"members": []any{bob}, "name": long(MaxNameBytes + 1)}}, true, ErrTooLong},
		{"list delete bad id", WireMessage{Type: TypeDelete, SubType: SubDistributionList, Args: map[string]any{"id": ""}}, true, ErrInvalidDistributionList},
		{"typing bad id", WireMessage{Type: TypeUpdate, SubType: SubTyping, Args: map[string]any{"id": "x"}, Data: map[string]any{"isTyping": true}}, true, ErrReceiver},
		{"typing not bool", WireMessage{Type: TypeUpdate, SubType: SubTyping, Args: map[string]any{"id": bob}, Data: map[string]any{"isTyping": 1}}, true, ErrField},
		{"battery percent", WireMessage{Type: TypeUpdate, SubType: SubBatteryStatus, Data: map[string]any{"percent": 101, "isCharging": false}}, false, ErrField},
		{"messages response missing more", WireMessage{Type: TypeResponse, SubType: SubMessages, Args: contactArgs(nil), Data: []any{}}, false, ErrField},
		{"messages update mode", WireMessage{Type: TypeUpdate, SubType: SubMessages, Args: contactArgs(map[string]any{"mode": "changed"}), Data: []any{}}, false, ErrField},
		{"created without result", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: contactArgs(nil), Data: map[string]any{"messageId": "1"}}, false, ErrNoResult},
		{"clientInfo bad os", WireMessage{Type: TypeResponse, SubType: SubClientInfo, Data: map[string]any{"device": "d", "os": "plan9"}}, false, ErrField},
		{"avatar not bin", WireMessage{Type: TypeResponse, SubType: SubAvatar, Args: contactArgs(nil), Data: "png"}, false, ErrField},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dec := DecodeFromApp
			if tc.fromWeb {
				dec = DecodeFromWeb
			}
			_, err := dec(tc.m)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "xxxxxxxx") {
				t.Fatal("error string contains the value")
			}
		})
	}
}

func TestDecoderRejectsOtherKind(t *testing.T) {
	t.Parallel()
	m := NewTyping(Typing{Identity: bob})
	if _, err := DecodeConnectionInfo(m); !errors.Is(err, ErrWrongMessage) {
		t.Fatalf("err = %v", err)
	}
	if _, err := DecodeProfile(m); !errors.Is(err, ErrWrongMessage) {
		t.Fatalf("err = %v", err)
	}
}

func TestReceiverValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		r  Receiver
		ok bool
	}{
		{Receiver{ReceiverContact, "ECHOECHO"}, true},
		{Receiver{ReceiverContact, "*GATEWAY"}, true},
		{Receiver{ReceiverMe, "ABCD1234"}, true},
		{Receiver{ReceiverContact, "echoecho"}, false},
		{Receiver{ReceiverContact, "ECHO*CHO"}, false},
		{Receiver{ReceiverContact, "ECHOECH"}, false},
		{Receiver{ReceiverGroup, "1"}, true},
		{Receiver{ReceiverGroup, "0123456789abcdef"}, true},
		{Receiver{ReceiverGroup, "0123456789ABCDEF"}, true},
		{Receiver{ReceiverGroup, "abc"}, false},
		{Receiver{ReceiverGroup, ""}, false},
		{Receiver{ReceiverGroup, "123456789012345678901"}, false},
		{Receiver{ReceiverDistributionList, "99"}, true},
		{Receiver{ReceiverDistributionList, "-1"}, false},
		{Receiver{"channel", "1"}, false},
	}
	for _, tc := range cases {
		if err := tc.r.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.r, err)
		} else if err != nil && !errors.Is(err, ErrReceiver) {
			t.Errorf("%+v: not ErrReceiver: %v", tc.r, err)
		}
	}
}

// TestAndroidStyleCreateFailure decodes the legacy reply shape of AND
// MessageCreateHandler.failed: data {messageId: nil}, args with success,
// error, type, id and temporaryId, no ack.
func TestAndroidStyleCreateFailure(t *testing.T) {
	t.Parallel()
	m := WireMessage{Type: TypeCreate, SubType: SubFileMessage,
		Args: map[string]any{"success": false, "error": "blocked", "type": "contact", "id": bob, "temporaryId": "tmp-9"},
		Data: map[string]any{"messageId": nil}}
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	c, err := DecodeMessageCreated(m2)
	if err != nil {
		t.Fatal(err)
	}
	if c.Result.Success || !c.Result.Legacy || c.Result.ID != "tmp-9" || !errors.Is(c.Result.Err(), ErrBlocked) || c.MessageID != "" {
		t.Fatalf("%+v", c)
	}
}
