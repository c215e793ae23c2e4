package webclient

import (
	"fmt"
	"strings"
)

// sample is one typed payload: the message its constructor builds, the
// direction it travels and the value its decoder must return.
type sample struct {
	name    string
	msg     WireMessage
	fromWeb bool
	want    any
}

func ptr[T any](v T) *T { return &v }

var (
	alice = "ALICE001"
	bob   = "BOBBOB02"
	key32 = []byte(strings.Repeat("k", 32))
	toBob = Receiver{Type: ReceiverContact, ID: bob}
	grp   = Receiver{Type: ReceiverGroup, ID: "42"}
)

func sampleContact() Contact {
	return Contact{
		ReceiverBase:      ReceiverBase{ID: bob, DisplayName: "Bob", Color: "#FF0000", Access: ReceiverAccess{CanDelete: true, CanChangeFirstName: true}, Visible: true},
		PublicNickname:    "bobby",
		FirstName:         "Bob",
		VerificationLevel: 2,
		State:             "ACTIVE",
		FeatureMask:       0xff,
		PublicKey:         key32,
		IsBlocked:         true,
	}
}

func sampleGroup() Group {
	return Group{
		ReceiverBase:  ReceiverBase{ID: "42", DisplayName: "Team", Color: "#00FF00", Access: ReceiverAccess{CanLeave: true}},
		Members:       []string{alice, bob},
		Administrator: alice,
		CreatedAt:     1700000000,
	}
}

func sampleList() DistributionList {
	return DistributionList{ReceiverBase: ReceiverBase{ID: "7", DisplayName: "News", Color: "#0000FF"}, Members: []string{bob}}
}

func sampleMessage(i int) Message {
	m := Message{Type: MessageText, ID: fmt.Sprint(1000 + i), Body: "hello " + fmt.Sprint(i), Date: 1700000000 + int64(i),
		SortKey: int64(i), PartnerID: bob, IsOutbox: i%2 == 0, State: "delivered"}
	switch i % 5 {
	case 1:
		m.Quote = &Quote{Identity: alice, Text: "earlier", MessageID: "999"}
	case 2:
		m.Type, m.Body, m.Caption = MessageFile, "", "a caption"
		m.File = &FileInfo{Name: "a.jpg", Size: 1234, Type: "image/jpeg", InApp: true}
		m.Thumbnail = &Thumbnail{Preview: []byte{0xff, 0xd8, 0xff}, Width: 350, Height: 200}
	case 4:
		m.Type, m.Body = MessageVideo, ""
		m.Video = &Media{Duration: 12, Size: 3000000}
		m.Events = []MessageEvent{{Type: "created", Date: 1700000000}, {Type: "sent", Date: 1700000001}}
	case 3:
		m.Type, m.Body = MessageLocation, ""
		m.Location = &Location{Lat: 47.37, Lon: 8.54, Accuracy: 10.5, Description: "Zurich", Address: "Somewhere 1"}
	case 0:
		m.LastEditedAt = 1700000100 + int64(i)
		m.EmojiReactions = []EmojiReaction{{Emoji: "🎉", Identities: []string{bob}}, {Emoji: "👍", Identities: []string{alice, bob}}}
	}
	return m
}

func sampleMessages(n int) []Message {
	out := make([]Message, 0, n)
	for i := range n {
		out = append(out, sampleMessage(i))
	}
	return out
}

func samples() []sample {
	req := func(st SubType) WireMessage { return WireMessage{Type: TypeRequest, SubType: st, ID: "req001"} }
	ci := ConnectionInfo{ID: make([]byte, 16), Resume: &ResumeInfo{ID: []byte("0123456789abcdef"), SequenceNumber: 4000000000}}
	fake := FakeConnectionID()
	clientInfo := ClientInfo{Device: "Kurier Phone", OS: "android", OSVersion: "14", PushToken: "g:abc",
		Configuration: AppConfig{VoipEnabled: true, ShowInactiveIDs: true},
		Capabilities: AppCapabilities{MaxGroupSize: 256, MaxFileSize: MaxFileSize, MaxMessageBodySize: MaxTextBytes,
			DistributionLists: true, ImageFormat: ImageFormat{Avatar: "image/png", Thumbnail: "image/jpeg"}, EmojiReactions: true,
			KurierReactions: true, KurierEdits: true, MDM: &MDMRestrictions{DisableCalls: true}}}
	conv := Conversation{Receiver: toBob, Position: 0, MessageCount: 10, UnreadCount: 2, LatestMessage: ptr(sampleMessage(1)),
		Notifications: &NotificationSettings{SoundMode: "muted", DNDMode: "until", DNDUntil: 1700000000000}, IsStarred: true, Avatar: []byte{1, 2}}
	c, g, l := sampleContact(), sampleGroup(), sampleList()
	fileData := []byte("file bytes")
	prof := Profile{Identity: alice, PublicKey: key32, PublicNickname: "Alice", Avatar: []byte{9}}
	return []sample{
		{"connectionInfo", NewConnectionInfo(ci), true, ci},
		{"connectionInfo fake", NewConnectionInfo(ConnectionInfo{ID: fake[:]}), false, ConnectionInfo{ID: fake[:]}},
		{"connectionAck request", NewConnectionAckRequest(), true, ConnectionAck{Request: true}},
		{"connectionAck update", NewConnectionAck(77), false, ConnectionAck{SequenceNumber: 77}},
		{"connectionAck reply", NewConnectionAckReply(NewRequest(SubConnectionAck, "abc123"), 9), true, ConnectionAck{SequenceNumber: 9}},
		{"connectionDisconnect", NewConnectionDisconnect(DisconnectReplace), true, ConnectionDisconnect{Reason: DisconnectReplace}},
		{"clientInfo request", NewClientInfoRequest("abc123", ClientInfoRequest{UserAgent: "Kurier/1.0", BrowserName: "kurier"}), true,
			ClientInfoRequest{UserAgent: "Kurier/1.0", BrowserName: "kurier"}},
		{"clientInfo", NewClientInfo(req(SubClientInfo), clientInfo), false, clientInfo},
		{"receivers request", NewRequest(SubReceivers, "abc123"), true, Key{TypeRequest, SubReceivers}},
		{"keyPersisted", NewRequest(SubKeyPersisted, ""), true, Key{TypeRequest, SubKeyPersisted}},
		{"receivers", NewReceivers(req(SubReceivers), Receivers{Contacts: []Contact{c}, Groups: []Group{g}, DistributionLists: []DistributionList{l}}), false,
			Receivers{Contacts: []Contact{c}, Groups: []Group{g}, DistributionLists: []DistributionList{l}}},
		{"receiver update", NewReceiverUpdate(ReceiverUpdate{Receiver: grp, Mode: ModeModified, Group: &g}), false,
			ReceiverUpdate{Receiver: grp, Mode: ModeModified, Group: &g}},
		{"receiver removed", NewReceiverUpdate(ReceiverUpdate{Receiver: toBob, Mode: ModeRemoved}), false,
			ReceiverUpdate{Receiver: toBob, Mode: ModeRemoved}},
		{"receivers update", NewReceiversUpdate(ReceiversUpdate{Type: ReceiverContact, Contacts: []Contact{c}}), false,
			ReceiversUpdate{Type: ReceiverContact, Contacts: []Contact{c}}},
		{"conversations request", NewConversationsRequest("abc123", ConversationsRequest{MaxSize: 48}), true, ConversationsRequest{MaxSize: 48}},
		{"conversations", NewConversations(req(SubConversations), []Conversation{conv}), false, []Conversation{conv}},
		{"conversation update", NewConversationUpdate(ConversationUpdate{Mode: ModeNew, Conversation: conv}), false,
			ConversationUpdate{Mode: ModeNew, Conversation: conv}},
		{"messages request", NewMessagesRequest("abc123", MessagesRequest{Receiver: toBob, RefMsgID: "1001"}), true,
			MessagesRequest{Receiver: toBob, RefMsgID: "1001"}},
		{"messages response", NewMessagesResponse(req(SubMessages), MessagesResponse{Receiver: toBob, More: true, Messages: sampleMessages(5)}), false,
			MessagesResponse{Receiver: toBob, More: true, Messages: sampleMessages(5)}},
		{"messages update", NewMessagesUpdate(MessagesUpdate{Receiver: grp, Mode: ModeRemoved, Messages: sampleMessages(1)}), false,
			MessagesUpdate{Receiver: grp, Mode: ModeRemoved, Messages: sampleMessages(1)}},
		{"delete message", NewMessageRef("abc123", MessageRef{Key: Key{TypeDelete, SubMessage}, Receiver: toBob, MessageID: "5"}), true,
			MessageRef{Key: Key{TypeDelete, SubMessage}, Receiver: toBob, MessageID: "5"}},
		{"read", NewMessageRef("", MessageRef{Key: Key{TypeRequest, SubRead}, Receiver: grp, MessageID: "6"}), true,
			MessageRef{Key: Key{TypeRequest, SubRead}, Receiver: grp, MessageID: "6"}},
		{"thumbnail request", NewMessageRef("abc123", MessageRef{Key: Key{TypeRequest, SubThumbnail}, Receiver: toBob, MessageID: "7"}), true,
			MessageRef{Key: Key{TypeRequest, SubThumbnail}, Receiver: toBob, MessageID: "7"}},
		{"blob request", NewMessageRef("abc123", MessageRef{Key: Key{TypeRequest, SubBlob}, Receiver: toBob, MessageID: "8"}), true,
			MessageRef{Key: Key{TypeRequest, SubBlob}, Receiver: toBob, MessageID: "8"}},
		{"ack request", NewAckRequest("", AckRequest{Receiver: toBob, MessageID: "9", Acknowledged: true}), true,
			AckRequest{Receiver: toBob, MessageID: "9", Acknowledged: true}},
		{"reaction request", NewReactionRequest("abc123", ReactionRequest{Receiver: grp, MessageID: "9", Emoji: "🎉", Withdraw: true}), true,
			ReactionRequest{Receiver: grp, MessageID: "9", Emoji: "🎉", Withdraw: true}},
		{"reaction result", NewReactionResult(WireMessage{Type: TypeRequest, SubType: SubReaction, ID: "abc123",
			Args: map[string]any{"temporaryId": "abc123"}}, grp, "9", nil), false,
			ReactionResult{Receiver: grp, MessageID: "9", Result: Result{ID: "abc123", Success: true}}},
		{"reaction result failure", NewReactionResult(WireMessage{Type: TypeRequest, SubType: SubReaction, ID: "abc124"}, toBob, "9", ErrInvalidMessage), false,
			ReactionResult{Receiver: toBob, MessageID: "9", Result: Result{ID: "abc124", Error: ErrorToCode(ErrInvalidMessage)}}},
		{"edit request", NewEditRequest("abc123", EditRequest{Receiver: toBob, MessageID: "9", Text: "fixed ✓"}), true,
			EditRequest{Receiver: toBob, MessageID: "9", Text: "fixed ✓"}},
		{"edit request empty text", NewEditRequest("abc123", EditRequest{Receiver: grp, MessageID: "10"}), true,
			EditRequest{Receiver: grp, MessageID: "10"}},
		{"delete for everyone request", NewDeleteForEveryoneRequest("abc123", DeleteForEveryoneRequest{Receiver: toBob, MessageID: "9"}), true,
			DeleteForEveryoneRequest{Receiver: toBob, MessageID: "9"}},
		{"edit result", NewEditResult(WireMessage{Type: TypeRequest, SubType: SubEditMessage, ID: "abc123",
			Args: map[string]any{"temporaryId": "abc123"}}, toBob, "9", nil), false,
			EditResult{SubType: SubEditMessage, Receiver: toBob, MessageID: "9", Result: Result{ID: "abc123", Success: true}}},
		{"delete for everyone result unsupported", NewEditResult(WireMessage{Type: TypeRequest, SubType: SubDeleteForEveryone, ID: "abc124"},
			toBob, "9", ErrUnsupportedByRecipient), false,
			EditResult{SubType: SubDeleteForEveryone, Receiver: toBob, MessageID: "9", Result: Result{ID: "abc124", Error: CodeUnsupportedByRecipient}}},
		{"text create", NewTextMessageCreate("abc123", TextMessageCreate{Receiver: toBob, Text: "hi", Quote: &Quote{Identity: bob, Text: "q"}}), true,
			TextMessageCreate{Receiver: toBob, Text: "hi", Quote: &Quote{Identity: bob, Text: "q"}}},
		{"text created", NewMessageCreated(WireMessage{Type: TypeCreate, SubType: SubTextMessage, ID: "abc123"}, toBob, "1234", nil), false,
			MessageCreated{SubType: SubTextMessage, Receiver: toBob, MessageID: "1234", Result: Result{ID: "abc123", Success: true}}},
		{"text created legacy failure", NewMessageCreated(WireMessage{Type: TypeCreate, SubType: SubTextMessage, Args: map[string]any{"temporaryId": "t-1"}}, toBob, "", ErrBlocked), false,
			MessageCreated{SubType: SubTextMessage, Receiver: toBob, Result: Result{ID: "t-1", Error: CodeBlocked, Legacy: true}}},
		{"file create", NewFileMessageCreate("abc123", FileMessageCreate{Receiver: grp, Name: "f.txt", FileType: "text/plain", Size: uint64(len(fileData)), Data: fileData, Caption: "c", SendAsFile: true}), true,
			FileMessageCreate{Receiver: grp, Name: "f.txt", FileType: "text/plain", Size: uint64(len(fileData)), Data: fileData, Caption: "c", SendAsFile: true}},
		{"voice create", NewFileMessageCreate("abc124", FileMessageCreate{Receiver: grp, Name: "v.m4a", FileType: "audio/mp4", Size: uint64(len(fileData)), Data: fileData, Duration: 12.3}), true,
			FileMessageCreate{Receiver: grp, Name: "v.m4a", FileType: "audio/mp4", Size: uint64(len(fileData)), Data: fileData, Duration: 12.3}},
		{"file created", NewMessageCreated(WireMessage{Type: TypeCreate, SubType: SubFileMessage, ID: "abc123"}, grp, "77", nil), false,
			MessageCreated{SubType: SubFileMessage, Receiver: grp, MessageID: "77", Result: Result{ID: "abc123", Success: true}}},
		{"avatar request", NewAvatarRequest("abc123", AvatarRequest{Receiver: toBob, HighResolution: true, MaxSize: 512}), true,
			AvatarRequest{Receiver: toBob, HighResolution: true, MaxSize: 512}},
		{"avatar response", NewAvatarResponse(req(SubAvatar), Avatar{Receiver: toBob, HighResolution: true, Image: []byte{0x89, 'P'}}), false,
			Avatar{Receiver: toBob, HighResolution: true, Image: []byte{0x89, 'P'}}},
		{"avatar update", NewAvatarUpdate(Avatar{Receiver: grp}), false, Avatar{Receiver: grp}},
		{"thumbnail response", NewThumbnailResponse(req(SubThumbnail), ThumbnailResponse{Receiver: toBob, MessageID: "7", Image: []byte{0xff}}, nil), false,
			ThumbnailResponse{Receiver: toBob, MessageID: "7", Image: []byte{0xff}}},
		{"blob response", NewBlobResponse(req(SubBlob), BlobResponse{Receiver: toBob, MessageID: "8", Blob: fileData, MIMEType: "text/plain", Name: "f.txt"}, nil), false,
			BlobResponse{Receiver: toBob, MessageID: "8", Blob: fileData, MIMEType: "text/plain", Name: "f.txt", Result: Result{ID: "req001", Success: true}}},
		{"blob failure", NewBlobResponse(req(SubBlob), BlobResponse{Receiver: toBob, MessageID: "8"}, ErrBlobDownloadFailed), false,
			BlobResponse{Receiver: toBob, MessageID: "8", Result: Result{ID: "req001", Error: CodeBlobDownloadFailed}}},
		{"typing", NewTyping(Typing{Identity: bob, IsTyping: true}), true, Typing{Identity: bob, IsTyping: true}},
		{"activeConversation", NewActiveConversation(grp), true, ReceiverOnly{Key: Key{TypeUpdate, SubActiveConversation}, Receiver: grp}},
		{"cleanReceiverConversation", NewCleanReceiverConversation("abc123", toBob), true,
			ReceiverOnly{Key: Key{TypeDelete, SubCleanReceiverConversation}, Receiver: toBob}},
		{"profile request", NewRequest(SubProfile, "abc123"), true, Key{TypeRequest, SubProfile}},
		{"profile", NewProfile(req(SubProfile), prof), false, prof},
		{"profile update from app", NewProfileUpdateFromApp(prof), false, prof},
		{"profile update", NewProfileUpdate("abc123", ProfileUpdate{PublicNickname: ptr("Al"), Avatar: []byte{1}}), true,
			ProfileUpdate{PublicNickname: ptr("Al"), Avatar: []byte{1}}},
		{"contact create", NewContactCreate("abc123", "", ContactCreate{Identity: bob}), true, ContactCreate{Identity: bob}},
		{"contact update", NewContactUpdate("abc123", "", ContactUpdate{Identity: bob, FirstName: ptr("B"), LastName: ptr("")}), true,
			ContactUpdate{Identity: bob, FirstName: ptr("B"), LastName: ptr("")}},
		{"contact result", NewContactResult(WireMessage{Type: TypeCreate, SubType: SubContact, ID: "abc123"}, &c, nil), false,
			ContactResult{Result: Result{ID: "abc123", Success: true}, Contact: &c}},
		{"contact detail", NewContactDetailRequest("abc123", ContactDetailRequest{Identity: bob}), true, ContactDetailRequest{Identity: bob}},
		{"group create", NewGroupCreate("", "tmp-1", GroupCreate{Members: []string{bob}, Name: "G", Avatar: []byte{3}}), true,
			GroupCreate{Members: []string{bob}, Name: "G", Avatar: []byte{3}}},
		{"group result", NewGroupResult(WireMessage{Type: TypeCreate, SubType: SubGroup, Args: map[string]any{"temporaryId": "tmp-1"}}, &g, nil), false,
			GroupResult{Result: Result{ID: "tmp-1", Success: true, Legacy: true}, Group: &g}},
		{"group update", NewGroupUpdate("abc123", "", GroupUpdate{ID: "0123456789abcdef", GroupCreate: GroupCreate{Members: []string{alice}, Name: "H"}}), true,
			GroupUpdate{ID: "0123456789abcdef", GroupCreate: GroupCreate{Members: []string{alice}, Name: "H"}}},
		{"group delete", NewGroupDelete("abc123", "", GroupDelete{ID: "42", DeleteType: DeleteLeave}), true, GroupDelete{ID: "42", DeleteType: DeleteLeave}},
		{"group delete result", NewResult(WireMessage{Type: TypeDelete, SubType: SubGroup, ID: "abc123"}, ErrAlreadyLeft), false,
			Result{ID: "abc123", Error: CodeAlreadyLeft}},
		{"clean conversation result", NewResult(WireMessage{Type: TypeDelete, SubType: SubCleanReceiverConversation, ID: "abc123"}, nil), false,
			Result{ID: "abc123", Success: true}},
		{"group sync", NewGroupSync("abc123", GroupSync{ID: "42"}), true, GroupSync{ID: "42"}},
		{"list create", NewDistributionListCreate("abc123", "", DistributionListCreate{Members: []string{bob, alice}, Name: "L"}), true,
			DistributionListCreate{Members: []string{bob, alice}, Name: "L"}},
		{"list result", NewDistributionListResult(WireMessage{Type: TypeUpdate, SubType: SubDistributionList, ID: "abc123"}, &l, nil), false,
			DistributionListResult{Result: Result{ID: "abc123", Success: true}, DistributionList: &l}},
		{"list update", NewDistributionListUpdate("abc123", "", DistributionListUpdate{ID: "7", DistributionListCreate: DistributionListCreate{Members: []string{bob}, Name: ""}}), true,
			DistributionListUpdate{ID: "7", DistributionListCreate: DistributionListCreate{Members: []string{bob}}}},
		{"list delete", NewDistributionListDelete("abc123", "", DistributionListDelete{ID: "7"}), true, DistributionListDelete{ID: "7"}},
		{"battery request", NewRequest(SubBatteryStatus, ""), true, Key{TypeRequest, SubBatteryStatus}},
		{"battery", NewBatteryStatus(BatteryStatus{Percent: ptr(uint8(80)), IsCharging: true}), false, BatteryStatus{Percent: ptr(uint8(80)), IsCharging: true}},
		{"battery unknown", NewBatteryStatus(BatteryStatus{}), false, BatteryStatus{}},
		{"alert", NewAlert(Alert{Source: "server", Type: "error", Message: "m"}), false, Alert{Source: "server", Type: "error", Message: "m"}},
		{"confirmAction", NewConfirmAction(ConfirmAction{ID: "abc123"}), false, ConfirmAction{ID: "abc123"}},
		{"response/confirmAction", NewConfirmActionReply(WireMessage{Type: TypeDelete, SubType: SubGroup, ID: "abc123",
			Args: map[string]any{"temporaryId": "abc123"}}, ErrAlreadyLeft), false,
			Result{ID: "abc123", Success: false, Error: CodeAlreadyLeft}},
		{"contactDetail", Reply(WireMessage{Type: TypeRequest, SubType: SubContactDetail, Args: map[string]any{"temporaryId": "abc123"}},
			TypeResponse, SubContactDetail, map[string]any{"identity": bob}, map[string]any{"receiver": map[string]any{}}, nil), false,
			Result{ID: "abc123", Success: true, Legacy: true}},
		{"voipStatus", WireMessage{Type: TypeUpdate, SubType: SubVoipStatus, Args: map[string]any{"type": "ringing"}}, false,
			Key{TypeUpdate, SubVoipStatus}},
		{"conversation modify", NewConversationModify("abc123", "abc123", ConversationModify{Receiver: toBob, IsStarred: ptr(true)}), true,
			ConversationModify{Receiver: toBob, IsStarred: ptr(true)}},
	}
}
