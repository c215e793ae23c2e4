package webclient

import (
	"bytes"
	"errors"
	"testing"
)

// realShape is one message as a real client puts it on the wire
// (docs/phone.md "What the real clients send"): threema-web 2.6 on the
// WebRTC task (web → app) or the Android app (app → web). Values are what
// msgpack gives Go: int64 for JavaScript's and Java's integers, nil for
// null and undefined, []byte for bin. check looks at the decoded value.
type realShape struct {
	name    string
	msg     WireMessage
	fromWeb bool
	check   func(t *testing.T, v any)
}

var (
	carol   = "CAROL003"
	pk32    = bytes.Repeat([]byte{7}, 32)
	fakeCID = []byte{1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8}
)

func want[T any](t *testing.T, v any, ok func(T) bool) {
	t.Helper()
	x, isT := v.(T)
	if !isT || !ok(x) {
		t.Fatalf("decoded %#v", v)
	}
}

func webShapes() []realShape {
	recv := func(extra map[string]any) map[string]any {
		a := map[string]any{"type": "contact", "id": bob}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	return []realShape{
		{"clientInfo: browserVersion is a number", WireMessage{Type: TypeRequest, SubType: SubClientInfo,
			Data: map[string]any{"userAgent": "Mozilla/5.0", "browserName": "firefox", "browserVersion": int64(133)}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r ClientInfoRequest) bool { return r.BrowserVersion == "133" && r.BrowserName == "firefox" })
			}},
		{"clientInfo: fractional version, no name", WireMessage{Type: TypeRequest, SubType: SubClientInfo,
			Data: map[string]any{"userAgent": "Mozilla/5.0", "browserVersion": 17.4}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r ClientInfoRequest) bool { return r.BrowserVersion == "17.4" })
			}},
		{"receivers: no id", WireMessage{Type: TypeRequest, SubType: SubReceivers}, true, nil},
		{"conversations: maxSize", WireMessage{Type: TypeRequest, SubType: SubConversations, Args: map[string]any{"maxSize": int64(48)}}, true,
			func(t *testing.T, v any) { want(t, v, func(r ConversationsRequest) bool { return r.MaxSize == 48 }) }},
		{"messages: refMsgId is a string", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: recv(map[string]any{"refMsgId": "120"})}, true,
			func(t *testing.T, v any) { want(t, v, func(r MessagesRequest) bool { return r.RefMsgID == "120" }) }},
		{"messages: Threema Web 1.x number refMsgId", WireMessage{Type: TypeRequest, SubType: SubMessages, Args: recv(map[string]any{"refMsgId": int64(120)})}, true,
			func(t *testing.T, v any) { want(t, v, func(r MessagesRequest) bool { return r.RefMsgID == "120" }) }},
		{"avatar: own avatar as contact, lo-res", WireMessage{Type: TypeRequest, SubType: SubAvatar, ID: "av0001",
			Args: map[string]any{"type": "contact", "id": alice, "highResolution": false, "maxSize": int64(48), "temporaryId": "av0001"}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r AvatarRequest) bool { return r.Receiver.ID == alice && !r.HighResolution })
			}},
		{"avatar: hi-res without maxSize", WireMessage{Type: TypeRequest, SubType: SubAvatar, ID: "av0002",
			Args: map[string]any{"type": "group", "id": "42", "highResolution": true, "temporaryId": "av0002"}}, true, nil},
		{"thumbnail", WireMessage{Type: TypeRequest, SubType: SubThumbnail, ID: "th0001", Args: recv(map[string]any{"messageId": "77", "temporaryId": "th0001"})}, true,
			func(t *testing.T, v any) { want(t, v, func(r MessageRef) bool { return r.MessageID == "77" }) }},
		{"blob", WireMessage{Type: TypeRequest, SubType: SubBlob, ID: "bl0001", Args: recv(map[string]any{"messageId": "77", "temporaryId": "bl0001"})}, true, nil},
		{"read: no id", WireMessage{Type: TypeRequest, SubType: SubRead, Args: recv(map[string]any{"messageId": "78"})}, true, nil},
		{"ack", WireMessage{Type: TypeRequest, SubType: SubAck, Args: recv(map[string]any{"messageId": "78", "acknowledged": true})}, true,
			func(t *testing.T, v any) { want(t, v, func(r AckRequest) bool { return r.Acknowledged }) }},
		{"contactDetail", WireMessage{Type: TypeRequest, SubType: SubContactDetail, ID: "cd0001", Args: map[string]any{"identity": bob, "temporaryId": "cd0001"}}, true, nil},
		{"groupSync", WireMessage{Type: TypeRequest, SubType: SubGroupSync, ID: "gs0001", Args: map[string]any{"id": "42", "temporaryId": "gs0001"}}, true, nil},
		{"keyPersisted: no id", WireMessage{Type: TypeRequest, SubType: SubKeyPersisted}, true, nil},
		{"batteryStatus: no id", WireMessage{Type: TypeRequest, SubType: SubBatteryStatus}, true, nil},
		{"textMessage with a null quote", WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: "tx0001",
			Args: recv(map[string]any{"temporaryId": "tx0001"}), Data: map[string]any{"text": "hi", "quote": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c TextMessageCreate) bool { return c.Text == "hi" && c.Quote == nil })
			}},
		{"textMessage with a quote (local id)", WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: "tx0002",
			Args: recv(map[string]any{"temporaryId": "tx0002"}),
			Data: map[string]any{"text": "yes", "quote": map[string]any{"identity": bob, "text": "really?", "messageId": "77"}}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c TextMessageCreate) bool {
					return c.Quote != nil && c.Quote.MessageID == "77" && c.Quote.Identity == bob
				})
			}},
		{"textMessage quoting a message without partner", WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: "tx0003",
			Args: recv(map[string]any{"temporaryId": "tx0003"}),
			Data: map[string]any{"text": "yes", "quote": map[string]any{"identity": nil, "text": "status", "messageId": "5"}}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c TextMessageCreate) bool { return c.Text == "yes" && c.Quote != nil && c.Quote.Identity == "" })
			}},
		{"fileMessage: unknown MIME, null caption", WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: "fi0001",
			Args: recv(map[string]any{"temporaryId": "fi0001"}),
			Data: map[string]any{"name": "notes", "fileType": "", "size": int64(3), "data": []byte("abc"), "caption": nil, "sendAsFile": true}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c FileMessageCreate) bool { return c.Name == "notes" && c.Caption == "" && c.SendAsFile })
			}},
		{"fileMessage (Kurier): a recording's kurierDuration", WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: "fi0002",
			Args: recv(map[string]any{"temporaryId": "fi0002"}),
			Data: map[string]any{"name": "v.m4a", "fileType": "audio/mp4", "size": int64(3), "data": []byte("abc"), "kurierDuration": 2.5}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c FileMessageCreate) bool { return c.Duration == 2.5 })
			}},
		{"fileMessage (Kurier): odd and out-of-range kurierDuration ignored", WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: "fi0003",
			Args: recv(map[string]any{"temporaryId": "fi0003"}),
			Data: map[string]any{"name": "v.m4a", "fileType": "audio/mp4", "size": int64(3), "data": []byte("abc"), "kurierDuration": "2.5"}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c FileMessageCreate) bool { return c.Duration == 0 })
			}},
		{"fileMessage (Kurier): a negative kurierDuration ignored", WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: "fi0004",
			Args: recv(map[string]any{"temporaryId": "fi0004"}),
			Data: map[string]any{"name": "v.m4a", "fileType": "audio/mp4", "size": int64(3), "data": []byte("abc"), "kurierDuration": -3}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c FileMessageCreate) bool { return c.Duration == 0 })
			}},
		{"delete message", WireMessage{Type: TypeDelete, SubType: SubMessage, ID: "dm0001", Args: recv(map[string]any{"messageId": "77", "temporaryId": "dm0001"})}, true, nil},
		{"typing", WireMessage{Type: TypeUpdate, SubType: SubTyping, Args: map[string]any{"id": bob}, Data: map[string]any{"isTyping": true}}, true, nil},
		{"activeConversation with id", WireMessage{Type: TypeUpdate, SubType: SubActiveConversation, ID: "ac0001", Args: recv(map[string]any{"temporaryId": "ac0001"})}, true, nil},
		{"conversation: pin", WireMessage{Type: TypeUpdate, SubType: SubConversation, ID: "cv0001", Args: recv(map[string]any{"temporaryId": "cv0001"}),
			Data: map[string]any{"isStarred": true}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c ConversationModify) bool { return c.IsStarred != nil && *c.IsStarred })
			}},
		{"create contact: identity in data", WireMessage{Type: TypeCreate, SubType: SubContact, ID: "cc0001",
			Args: map[string]any{"temporaryId": "cc0001"}, Data: map[string]any{"identity": carol}}, true,
			func(t *testing.T, v any) { want(t, v, func(c ContactCreate) bool { return c.Identity == carol }) }},
		{"update contact: a nil name clears it", WireMessage{Type: TypeUpdate, SubType: SubContact, ID: "uc0002",
			Args: map[string]any{"identity": bob, "temporaryId": "uc0002"}, Data: map[string]any{"firstName": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(u ContactUpdate) bool { return u.FirstName != nil && *u.FirstName == "" && u.LastName == nil })
			}},
		{"update contact: names, avatar removed", WireMessage{Type: TypeUpdate, SubType: SubContact, ID: "uc0001",
			Args: map[string]any{"identity": bob, "temporaryId": "uc0001"}, Data: map[string]any{"firstName": "Bob", "lastName": "", "avatar": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(u ContactUpdate) bool {
					return u.FirstName != nil && *u.FirstName == "Bob" && u.LastName != nil && *u.LastName == ""
				})
			}},
		{"create group: null name", WireMessage{Type: TypeCreate, SubType: SubGroup, ID: "cg0001",
			Args: map[string]any{"temporaryId": "cg0001"}, Data: map[string]any{"members": []any{bob, carol}, "name": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(c GroupCreate) bool { return len(c.Members) == 2 && c.Name == "" })
			}},
		{"update group: name, null avatar", WireMessage{Type: TypeUpdate, SubType: SubGroup, ID: "ug0001",
			Args: map[string]any{"id": "42", "temporaryId": "ug0001"}, Data: map[string]any{"members": []any{bob}, "name": "Team", "avatar": nil}}, true, nil},
		{"delete group: leave", WireMessage{Type: TypeDelete, SubType: SubGroup, ID: "dg0001",
			Args: map[string]any{"id": "42", "deleteType": "leave", "temporaryId": "dg0001"}}, true, nil},
		{"create list: null name", WireMessage{Type: TypeCreate, SubType: SubDistributionList, ID: "cl0001",
			Args: map[string]any{"temporaryId": "cl0001"}, Data: map[string]any{"members": []any{bob}, "name": nil}}, true, nil},
		{"update list", WireMessage{Type: TypeUpdate, SubType: SubDistributionList, ID: "ul0001",
			Args: map[string]any{"id": "7", "temporaryId": "ul0001"}, Data: map[string]any{"members": []any{bob}, "name": nil}}, true, nil},
		{"delete list", WireMessage{Type: TypeDelete, SubType: SubDistributionList, ID: "dl0001", Args: map[string]any{"id": "7", "temporaryId": "dl0001"}}, true, nil},
		{"clean conversation", WireMessage{Type: TypeDelete, SubType: SubCleanReceiverConversation, ID: "cr0001", Args: recv(map[string]any{"temporaryId": "cr0001"})}, true, nil},
		{"profile: avatar removed", WireMessage{Type: TypeUpdate, SubType: SubProfile, ID: "pr0001",
			Args: map[string]any{"temporaryId": "pr0001"}, Data: map[string]any{"avatar": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(u ProfileUpdate) bool { return u.RemoveAvatar && u.PublicNickname == nil })
			}},
		{"connectionInfo", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": make([]byte, 16)}}, true, nil},
		{"connectionDisconnect", WireMessage{Type: TypeUpdate, SubType: SubConnectionDisconnect, Data: map[string]any{"reason": "stop"}}, true, nil},
		{"ack: agree in a group (the app toggles)", WireMessage{Type: TypeRequest, SubType: SubAck,
			Args: map[string]any{"type": "group", "id": "0123456789abcdef", "messageId": "120", "acknowledged": true}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r AckRequest) bool { return r.Acknowledged && r.Receiver.Type == ReceiverGroup })
			}},
		// Kurier's extension, as the Kurier desktop sends it (id and the
		// same temporaryId), with a number messageId and no withdraw.
		{"reaction (Kurier): no withdraw, numeric messageId, extra keys", WireMessage{Type: TypeRequest, SubType: SubReaction, ID: "re0001",
			Args: recv(map[string]any{"messageId": int64(120), "temporaryId": "re0001", "future": true}),
			Data: map[string]any{"emoji": "🫶🏽", "skin": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r ReactionRequest) bool { return r.MessageID == "120" && r.Emoji == "🫶🏽" && !r.Withdraw })
			}},
		{"editMessage (Kurier): numeric messageId, extra keys", WireMessage{Type: TypeRequest, SubType: SubEditMessage, ID: "ed0001",
			Args: recv(map[string]any{"messageId": int64(120), "temporaryId": "ed0001", "future": true}),
			Data: map[string]any{"text": "fixed", "mentions": nil}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r EditRequest) bool { return r.MessageID == "120" && r.Text == "fixed" })
			}},
		{"deleteMessageForEveryone (Kurier): data ignored", WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone, ID: "de0001",
			Args: recv(map[string]any{"messageId": "120", "temporaryId": "de0001"}), Data: map[string]any{"why": "typo"}}, true,
			func(t *testing.T, v any) {
				want(t, v, func(r DeleteForEveryoneRequest) bool { return r.MessageID == "120" })
			}},
	}
}

func androidContact(id, name string) map[string]any {
	return map[string]any{"id": id, "displayName": name, "color": "#ff0000", "publicNickname": "Bobby",
		"verificationLevel": int64(2), "state": "ACTIVE", "hidden": false, "isWork": false, "publicKey": pk32,
		"identityType": int64(0), "isBlocked": false, "featureMask": int64(255), "featureLevel": int64(3),
		"locked": false, "visible": true,
		"access": map[string]any{"canDelete": true, "canChangeAvatar": false, "canChangeFirstName": true, "canChangeLastName": true}}
}

func androidGroup() map[string]any { // visible and disabled left out, name nil
	return map[string]any{"id": "42", "displayName": "Bob, Carol", "name": nil, "color": "#00ff00", "createdAt": int64(1700000000),
		"members": []any{alice, bob, carol}, "administrator": alice,
		"access": map[string]any{"canDelete": true, "canChangeAvatar": true, "canChangeName": true, "canChangeMembers": true, "canSync": true, "canLeave": true}}
}

func androidMessage() map[string]any {
	return map[string]any{"id": "120", "type": "image", "sortKey": int64(120), "isOutbox": false, "isStatus": false,
		"body": nil, "partnerId": bob, "unread": true, "state": "delivered", "date": int64(1700000100),
		"caption": "look", "lastEditedAt": int64(1700000200), "emojiReactions": []any{map[string]any{"emoji": "👍", "identities": []any{alice}}},
		"thumbnail": map[string]any{"width": int64(320), "height": int64(240), "preview": []byte{0xff, 0xd8}},
		"file":      map[string]any{"name": "img.jpg", "size": int64(1234), "type": "image/jpeg", "inApp": false},
		"events":    []any{map[string]any{"type": "created", "date": int64(1700000100)}}}
}

func appShapes() []realShape {
	args := func(m map[string]any) map[string]any { return m }
	return []realShape{
		{"clientInfo: a stock Android", WireMessage{Type: TypeResponse, SubType: SubClientInfo, Data: map[string]any{
			"device": "Pixel 8", "os": "android", "osVersion": "15", "appVersion": "6.0.1k", "pushToken": "g:abc", "isWork": false,
			"configuration": map[string]any{"showInactiveIDs": true},
			"capabilities": map[string]any{"maxGroupSize": int64(256), "maxFileSize": int64(104857600), "distributionLists": true,
				"quotesV2": true, "emojiReactions": true, "imageFormat": map[string]any{"avatar": "image/png", "thumbnail": "image/jpeg"}}}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(ci ClientInfo) bool {
					c := ci.Configuration
					return c.VoipEnabled && !c.VoipForceTurn && c.LargeSingleEmoji && c.ShowInactiveIDs && ci.AppVersion == "6.0.1k" &&
						ci.Capabilities.QuotesV2 && ci.Capabilities.MaxMessageBodySize == 0
				})
			}},
		{"connectionInfo: the placeholder id, no resume", WireMessage{Type: TypeUpdate, SubType: SubConnectionInfo, Data: map[string]any{"id": fakeCID}}, false, nil},
		{"receivers: all three, a list without name", WireMessage{Type: TypeResponse, SubType: SubReceivers, Args: map[string]any{}, Data: map[string]any{
			"contact": []any{androidContact(bob, "~Bobby")}, "group": []any{androidGroup()},
			"distributionList": []any{map[string]any{"id": "7", "displayName": "Bob", "color": "#0000ff", "locked": false, "visible": true,
				"members": []any{bob}, "access": map[string]any{"canDelete": true, "canChangeMembers": true}}}}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r Receivers) bool {
					return len(r.Contacts) == 1 && r.Contacts[0].DisplayName == "~Bobby" && len(r.Groups) == 1 && r.Groups[0].Visible &&
						len(r.DistributionLists) == 1
				})
			}},
		{"conversations: dnd until, pinned", WireMessage{Type: TypeResponse, SubType: SubConversations, Args: map[string]any{}, Data: []any{
			map[string]any{"type": "contact", "id": bob, "position": int64(0), "messageCount": int64(3), "unreadCount": int64(1),
				"isStarred": true, "isUnread": false, "latestMessage": androidMessage(),
				"notifications": map[string]any{"sound": map[string]any{"mode": "default"},
					"dnd": map[string]any{"mode": "until", "until": int64(1700003600000), "mentionOnly": false}}}}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(cs []Conversation) bool { return len(cs) == 1 && cs[0].IsStarred && cs[0].LatestMessage != nil })
			}},
		{"messages: nil body, nil partner, reactions, a deleted quote", WireMessage{Type: TypeResponse, SubType: SubMessages,
			Args: map[string]any{"type": "contact", "id": bob, "refMsgId": "130", "more": true}, Data: []any{androidMessage(),
				map[string]any{"id": "121", "type": "text", "sortKey": int64(121), "isOutbox": true, "isStatus": false, "body": "ok",
					"partnerId": nil, "unread": false, "state": "read", "date": int64(1700000300),
					"quote": map[string]any{"identity": nil, "text": "Quoted message deleted", "messageId": "0102030405060708"}},
				map[string]any{"id": "122", "type": "location", "sortKey": int64(122), "isOutbox": false, "isStatus": false, "body": nil,
					"partnerId": bob, "location": map[string]any{"lat": 47.37, "lon": 8.54, "accuracy": 12.0, "description": nil}},
				map[string]any{"id": "123", "type": "voipStatus", "sortKey": int64(123), "isOutbox": false, "isStatus": true,
					"voip": map[string]any{"status": int64(2), "duration": int64(30), "reason": nil}}}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r MessagesResponse) bool {
					return r.More && len(r.Messages) == 4 && r.Messages[1].Quote != nil && r.Messages[1].Quote.Identity == "" &&
						r.Messages[0].Caption == "look" && r.Messages[2].Location != nil && r.Messages[0].LastEditedAt == 1700000200 &&
						len(r.Messages[0].EmojiReactions) == 1 && r.Messages[0].EmojiReactions[0].Identities[0] == alice
				})
			}},
		{"messages update: modified, odd reactions and edit time ignored", WireMessage{Type: TypeUpdate, SubType: SubMessages,
			Args: map[string]any{"type": "contact", "id": bob, "mode": "modified"}, Data: []any{
				map[string]any{"id": "120", "type": "text", "sortKey": int64(120), "isOutbox": true, "isStatus": false, "body": "x",
					"emojiReactions": []any{map[string]any{"emoji": "👍", "identities": []any{"not an id"}}}, "lastEditedAt": "yesterday"},
				map[string]any{"id": "121", "type": "text", "sortKey": int64(121), "isOutbox": true, "isStatus": false, "body": "y",
					"emojiReactions": []any{}, "lastEditedAt": nil}}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(u MessagesUpdate) bool {
					return len(u.Messages) == 2 && u.Messages[0].EmojiReactions == nil && u.Messages[0].LastEditedAt == 0 &&
						u.Messages[1].EmojiReactions == nil
				})
			}},
		{"reaction result (Kurier phone)", WireMessage{Type: TypeResponse, SubType: SubReaction, Ack: &Ack{ID: "re0001", Success: true},
			Args: map[string]any{"type": "contact", "id": bob, "messageId": "120", "temporaryId": "re0001", "success": true}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r ReactionResult) bool {
					return r.Result.Success && r.Result.ID == "re0001" && r.MessageID == "120"
				})
			}},
		{"edit result (Kurier phone)", WireMessage{Type: TypeResponse, SubType: SubEditMessage, Ack: &Ack{ID: "ed0001", Success: true},
			Args: map[string]any{"type": "contact", "id": bob, "messageId": "120", "temporaryId": "ed0001", "success": true}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r EditResult) bool {
					return r.Result.Success && r.Result.ID == "ed0001" && r.MessageID == "120" && r.SubType == SubEditMessage
				})
			}},
		{"delete for everyone refused: recipient cannot show it", WireMessage{Type: TypeResponse, SubType: SubDeleteForEveryone,
			Ack: &Ack{ID: "de0001", Error: "unsupportedByRecipient"}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r EditResult) bool { return errors.Is(r.Result.Err(), ErrUnsupportedByRecipient) })
			}},
		{"reaction error reply without args", WireMessage{Type: TypeResponse, SubType: SubReaction, Ack: &Ack{ID: "re0002", Error: "badRequest"}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(r ReactionResult) bool { return !r.Result.Success && r.Result.Err() != nil })
			}},
		{"messages update: removed, minimal", WireMessage{Type: TypeUpdate, SubType: SubMessages, Args: map[string]any{"type": "contact", "id": bob, "mode": "removed"},
			Data: []any{map[string]any{"id": "120", "type": "text", "sortKey": int64(120), "isOutbox": true, "isStatus": false}}}, false, nil},
		{"avatar: none", WireMessage{Type: TypeResponse, SubType: SubAvatar,
			Args: map[string]any{"type": "contact", "id": bob, "highResolution": true, "temporaryId": "av0001"}}, false, nil},
		{"avatar update", WireMessage{Type: TypeUpdate, SubType: SubAvatar, Args: map[string]any{"type": "contact", "id": bob}, Data: []byte{0x89, 'P'}}, false, nil},
		{"thumbnail: none", WireMessage{Type: TypeResponse, SubType: SubThumbnail, Args: map[string]any{"type": "contact", "id": bob, "messageId": "120", "temporaryId": "th0001"}}, false, nil},
		{"blob: failed", WireMessage{Type: TypeResponse, SubType: SubBlob, Args: map[string]any{"type": "contact", "id": bob, "messageId": "120",
			"temporaryId": "bl0001", "success": false, "error": "blobDownloadFailed"}}, false, nil},
		{"text created", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: map[string]any{"success": true, "type": "contact", "id": bob, "temporaryId": "tx0001"},
			Data: map[string]any{"messageId": "124"}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(c MessageCreated) bool {
					return c.Result.Success && c.MessageID == "124" && c.Result.ID == "tx0001"
				})
			}},
		{"text not created", WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: map[string]any{"success": false, "error": "valueTooLong",
			"type": "contact", "id": bob, "temporaryId": "tx0002"}, Data: map[string]any{"messageId": nil}}, false,
			func(t *testing.T, v any) { want(t, v, func(c MessageCreated) bool { return !c.Result.Success }) }},
		{"contact created", WireMessage{Type: TypeCreate, SubType: SubContact, Args: map[string]any{"success": true, "identity": carol, "temporaryId": "cc0001"},
			Data: map[string]any{"receiver": androidContact(carol, carol)}}, false, nil},
		{"contact not updated", WireMessage{Type: TypeUpdate, SubType: SubContact, Args: map[string]any{"success": false, "error": "notAllowedLinked",
			"identity": bob, "temporaryId": "uc0001"}, Data: map[string]any{"receiver": nil}}, false, nil},
		{"group created", WireMessage{Type: TypeCreate, SubType: SubGroup, Args: map[string]any{"success": true, "temporaryId": "cg0001"},
			Data: map[string]any{"receiver": androidGroup()}}, false, nil},
		{"confirmAction", WireMessage{Type: TypeResponse, SubType: SubConfirmAction, Args: map[string]any{"success": true, "temporaryId": "dg0001"},
			Data: map[string]any{}}, false,
			func(t *testing.T, v any) { want(t, v, func(r Result) bool { return r.Success && r.ID == "dg0001" }) }},
		{"contactDetail", WireMessage{Type: TypeResponse, SubType: SubContactDetail, Args: map[string]any{"identity": bob, "temporaryId": "cd0001", "success": true},
			Data: map[string]any{"receiver": map[string]any{"systemContact": map[string]any{"phoneNumbers": []any{}, "emails": []any{}}}}}, false, nil},
		{"profile", WireMessage{Type: TypeResponse, SubType: SubProfile, Data: map[string]any{"identity": alice, "publicKey": pk32, "publicNickname": ""}}, false, nil},
		{"profile update: nickname only", WireMessage{Type: TypeUpdate, SubType: SubProfile, Data: map[string]any{"publicNickname": "Ali"}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(p Profile) bool { return p.PublicNickname == "Ali" && p.Identity == "" })
			}},
		{"profile update: avatar removed", WireMessage{Type: TypeUpdate, SubType: SubProfile, Data: map[string]any{"publicNickname": "Ali", "avatar": nil}}, false,
			func(t *testing.T, v any) { want(t, v, func(p Profile) bool { return p.AvatarRemoved }) }},
		{"receiver removed: {id} only", WireMessage{Type: TypeUpdate, SubType: SubReceiver, Args: map[string]any{"type": "contact", "id": bob, "mode": "removed"},
			Data: map[string]any{"id": bob}}, false,
			func(t *testing.T, v any) {
				want(t, v, func(u ReceiverUpdate) bool { return u.Mode == ModeRemoved && u.Contact == nil })
			}},
		{"receiver modified", WireMessage{Type: TypeUpdate, SubType: SubReceiver, Args: map[string]any{"type": "group", "id": "42", "mode": "modified"},
			Data: androidGroup()}, false, nil},
		{"receivers update: contacts", WireMessage{Type: TypeUpdate, SubType: SubReceivers, Args: map[string]any{"type": "contact"},
			Data: []any{androidContact(bob, "Bob")}}, false, nil},
		{"conversation update: without avatar", WireMessage{Type: TypeUpdate, SubType: SubConversation, Args: map[string]any{"mode": "modified"},
			Data: map[string]any{"type": "group", "id": "42", "position": int64(1), "messageCount": int64(9), "unreadCount": int64(0), "isUnread": false,
				"notifications": map[string]any{"sound": map[string]any{"mode": "muted"}, "dnd": map[string]any{"mode": "off"}}}}, false, nil},
		{"typing", WireMessage{Type: TypeUpdate, SubType: SubTyping, Args: map[string]any{"id": bob}, Data: map[string]any{"isTyping": false}}, false, nil},
		{"battery", WireMessage{Type: TypeUpdate, SubType: SubBatteryStatus, Data: map[string]any{"percent": int64(64), "isCharging": false}}, false, nil},
		{"alert", WireMessage{Type: TypeUpdate, SubType: SubAlert, Args: args(map[string]any{"type": "warning", "source": "server"}),
			Data: map[string]any{"message": "Server maintenance"}}, false, nil},
		{"voipStatus", WireMessage{Type: TypeUpdate, SubType: SubVoipStatus, Args: map[string]any{"type": "ringing"}}, false, nil},
		{"connectionDisconnect", WireMessage{Type: TypeUpdate, SubType: SubConnectionDisconnect, Data: map[string]any{"reason": "stop"}}, false, nil},
	}
}

// TestRealClientShapes decodes every message as the real clients send it,
// after a trip through the wire encoding, with the decoder of its
// direction: none may be refused.
func TestRealClientShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range append(webShapes(), appShapes()...) {
		t.Run(tc.name, func(t *testing.T) {
			tc.msg.notes = nil
			b, err := Encode(tc.msg)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatalf("envelope: %v", err)
			}
			dec := DecodeFromApp
			if tc.fromWeb {
				dec = DecodeFromWeb
			}
			v, err := dec(m)
			if err != nil {
				t.Fatalf("refused: %v (ignored: %v)", err, m.Ignored())
			}
			if tc.check != nil {
				tc.check(t, v)
			}
		})
	}
}
