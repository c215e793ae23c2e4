package webclient_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestDesktopActions pairs a Go initiator with a real phone (Alice) through
// the real backend and drives every create/update/delete handler against two
// more real phones (Bob, Carol).
func TestDesktopActions(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, bev := phonetest.Phone(t, bj, "Bob")
	c, cev := phonetest.Phone(t, bj, "Carol")
	ctx, cancel := context.WithTimeout(context.Background(), 3*phonetest.Timeout)
	defer cancel()
	for _, x := range []*phone.Phone{b, c} {
		if _, err := x.AddContact(ctx, a.ID()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}

	srv := serveDesktops(t, a, webclient.Config{})
	d, _, _ := pairPermanent(ctx, t, bj, srv)
	contactB := wc.Receiver{Type: wc.ReceiverContact, ID: b.ID()}
	parent := t
	run := func(name string, f func(t *testing.T)) {
		parent.Run(name, func(t *testing.T) {
			d.t = t
			defer func() { d.t = parent }()
			f(t)
		})
	}
	ref := func(st wc.SubType, r wc.Receiver, id string) wc.WireMessage {
		typ := wc.TypeRequest
		if st == wc.SubMessage {
			typ = wc.TypeDelete
		}
		return wc.NewMessageRef("", wc.MessageRef{Key: wc.Key{Type: typ, SubType: st}, Receiver: r, MessageID: id})
	}
	updated := func(what string, mode wc.Mode, match func(wc.Message) bool) wc.Message {
		m := d.next(ctx, what, func(m wc.WireMessage) bool {
			u, err := wc.DecodeMessagesUpdate(m)
			return err == nil && u.Mode == mode && len(u.Messages) == 1 && match(u.Messages[0])
		})
		u, _ := wc.DecodeMessagesUpdate(m)
		return u.Messages[0]
	}

	var fileID string
	data := bytes.Repeat([]byte("kurier file "), 300)
	run("create fileMessage", func(t *testing.T) {
		r, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewFileMessageCreate("", wc.FileMessageCreate{Receiver: contactB,
			Name: "notes.txt", FileType: "text/plain", Size: uint64(len(data)), Data: data, Caption: "the notes"})))
		if err != nil || !r.Result.Success || r.MessageID == "" {
			t.Fatalf("created %+v: %v", r, err)
		}
		fileID = r.MessageID
		m := updated("new file message", wc.ModeNew, func(m wc.Message) bool { return m.ID == fileID })
		if m.File == nil || m.File.Name != "notes.txt" || m.Caption != "the notes" {
			t.Fatalf("pushed %+v", m)
		}
	})
	run("request blob", func(t *testing.T) {
		r, err := wc.DecodeBlobResponse(d.request(ctx, ref(wc.SubBlob, contactB, fileID)))
		if err != nil || !r.Result.Success || !bytes.Equal(r.Blob, data) || r.MIMEType != "text/plain" || r.Name != "notes.txt" {
			t.Fatalf("blob %+v (%d bytes): %v", r.Result, len(r.Blob), err)
		}
		// B's download tells the blob server it is done (§5).
		e := phonetest.Wait(t, bev, "file at B", func(e phone.Event) bool {
			return e.Kind == phone.EventMessage && e.Message.Type == e2e.TypeFile
		})
		got, err := b.DownloadFile(ctx, *e.Message)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("B downloaded %d bytes: %v", len(got), err)
		}
		// Once B is done the blob server drops it (the desktop's second
		// request failed with blobDownloadFailed), and both phones still
		// have the file, as phones keep what they sent and downloaded.
		r, err = wc.DecodeBlobResponse(d.request(ctx, ref(wc.SubBlob, contactB, fileID)))
		if err != nil || !r.Result.Success || !bytes.Equal(r.Blob, data) {
			t.Fatalf("blob after done %+v (%d bytes): %v", r.Result, len(r.Blob), err)
		}
		if got, err := b.DownloadFile(ctx, *e.Message); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("B again: %d bytes, %v", len(got), err)
		}
		// An unknown message: invalidMessage.
		r2 := d.request(ctx, ref(wc.SubBlob, contactB, "99999"))
		if r2.Ack.Success || r2.Ack.Error != wc.CodeInvalidMessage {
			t.Fatalf("blob of a missing message: %+v", r2.Ack)
		}
	})
	run("request thumbnail", func(t *testing.T) {
		// A text file has no thumbnail: the reply fails with invalidMessage.
		r := d.request(ctx, ref(wc.SubThumbnail, contactB, fileID))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidMessage {
			t.Fatalf("thumbnail: %+v", r.Ack)
		}
	})
	run("image thumbnail", func(t *testing.T) {
		img := image.NewRGBA(image.Rect(0, 0, 40, 30))
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		r, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewFileMessageCreate("", wc.FileMessageCreate{Receiver: contactB,
			Name: "pic.png", FileType: "image/png", Size: uint64(buf.Len()), Data: buf.Bytes()})))
		if err != nil || r.MessageID == "" {
			t.Fatalf("created %+v: %v", r, err)
		}
		th, err := wc.DecodeThumbnailResponse(d.request(ctx, ref(wc.SubThumbnail, contactB, r.MessageID)))
		if err != nil || len(th.Image) < 2 || th.Image[0] != 0xff || th.Image[1] != 0xd8 {
			t.Fatalf("thumbnail of %d bytes: %v", len(th.Image), err)
		}
	})
	run("request avatar", func(t *testing.T) {
		av, err := wc.DecodeAvatarResponse(d.request(ctx, wc.NewAvatarRequest("", wc.AvatarRequest{Receiver: contactB, HighResolution: true})))
		if err != nil || av.Image != nil || av.Receiver != contactB || !av.HighResolution {
			t.Fatalf("avatar %+v: %v", av, err)
		}
	})
	run("request ack", func(t *testing.T) {
		if _, err := b.SendText(ctx, a.ID(), "please ack"); err != nil {
			t.Fatal(err)
		}
		in := updated("incoming", wc.ModeNew, func(m wc.Message) bool { return m.Body == "please ack" })
		own := []wc.EmojiReaction{{Emoji: e2e.ThumbsUp, Identities: []string{a.ID()}}}
		d.send(ctx, wc.NewAckRequest(d.newID(), wc.AckRequest{Receiver: contactB, MessageID: in.ID, Acknowledged: true}))
		updated("acknowledged", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == in.ID && m.State != wc.StateUserAck && reflect.DeepEqual(m.EmojiReactions, own)
		})
		phonetest.Wait(t, bev, "thumbs up at B", func(e phone.Event) bool {
			return e.Kind == phone.EventMessageReaction && e.Peer == a.ID() && e.Emoji == e2e.ThumbsUp && !e.Withdraw
		})
		// The same ack again toggles the thumbs up off, as the Android app does.
		d.send(ctx, wc.NewAckRequest(d.newID(), wc.AckRequest{Receiver: contactB, MessageID: in.ID, Acknowledged: true}))
		updated("ack withdrawn", wc.ModeModified, func(m wc.Message) bool { return m.ID == in.ID && m.EmojiReactions == nil })
		phonetest.Wait(t, bev, "thumbs up withdrawn at B", func(e phone.Event) bool {
			return e.Kind == phone.EventMessageReaction && e.Peer == a.ID() && e.Emoji == e2e.ThumbsUp && e.Withdraw
		})
		// An own message cannot be acknowledged.
		r := d.request(ctx, wc.NewAckRequest("", wc.AckRequest{Receiver: contactB, MessageID: fileID, Acknowledged: false}))
		if r.Ack.Success || r.Ack.Error != wc.CodeNotAllowed {
			t.Fatalf("ack of an own message: %+v", r.Ack)
		}

		// Kurier's request/reaction: any emoji, on any message, applied
		// and withdrawn explicitly; B's reaction shows up too.
		req := wc.NewReactionRequest("", wc.ReactionRequest{Receiver: contactB, MessageID: fileID, Emoji: "🎉"})
		req.Args["temporaryId"] = "tmp-re1"
		rr, err := wc.DecodeReactionResult(d.request(ctx, req))
		if err != nil || !rr.Result.Success || rr.MessageID != fileID || rr.Receiver != contactB {
			t.Fatalf("reaction reply %+v: %v", rr, err)
		}
		updated("reacted", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == fileID && reflect.DeepEqual(m.EmojiReactions, []wc.EmojiReaction{{Emoji: "🎉", Identities: []string{a.ID()}}})
		})
		e := phonetest.Wait(t, bev, "🎉 at B", func(e phone.Event) bool { return e.Kind == phone.EventMessageReaction && e.Emoji == "🎉" })
		if _, err := b.React(ctx, a.ID(), e.MessageID, "🎉", false); err != nil {
			t.Fatal(err)
		}
		updated("B reacted too", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == fileID && len(m.EmojiReactions) == 1 && len(m.EmojiReactions[0].Identities) == 2
		})
		rr, err = wc.DecodeReactionResult(d.request(ctx, wc.NewReactionRequest("", wc.ReactionRequest{Receiver: contactB, MessageID: fileID, Emoji: "🎉", Withdraw: true})))
		if err != nil || !rr.Result.Success {
			t.Fatalf("withdraw reply %+v: %v", rr, err)
		}
		updated("withdrawn", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == fileID && reflect.DeepEqual(m.EmojiReactions, []wc.EmojiReaction{{Emoji: "🎉", Identities: []string{b.ID()}}})
		})
		// Unknown message, over-long emoji.
		rr, err = wc.DecodeReactionResult(d.request(ctx, wc.NewReactionRequest("", wc.ReactionRequest{Receiver: contactB, MessageID: "999999", Emoji: "🎉"})))
		if err != nil || rr.Result.Success || rr.Result.Error != wc.CodeInvalidMessage {
			t.Fatalf("unknown message %+v: %v", rr, err)
		}
		bad := d.request(ctx, wc.NewReactionRequest("", wc.ReactionRequest{Receiver: contactB, MessageID: fileID, Emoji: strings.Repeat("x", e2e.MaxReactionLen+1)}))
		if bad.Ack.Success || bad.Type != wc.TypeResponse || bad.SubType != wc.SubReaction {
			t.Fatalf("long emoji: %s/%s %+v", bad.Type, bad.SubType, bad.Ack)
		}
	})
	run("delete message", func(t *testing.T) {
		// Threema Web's delete/message deletes on the phone only, any
		// sender's message, as the Android app does: the peer keeps its copy.
		r, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewTextMessageCreate("", wc.TextMessageCreate{Receiver: contactB, Text: "oops"})))
		if err != nil || r.MessageID == "" {
			t.Fatalf("created %+v: %v", r, err)
		}
		e := phonetest.Wait(t, bev, "oops at B", func(e phone.Event) bool {
			return e.Kind == phone.EventMessage && e.Message.Body == "oops"
		})
		// Bob answers it: the desktop shows his answer quoting "oops".
		if _, err := b.SendText(ctx, a.ID(), e2e.QuoteText(e.MessageID, "what?")); err != nil {
			t.Fatal(err)
		}
		answer := updated("Bob's answer", wc.ModeNew, func(m wc.Message) bool { return m.Body == "what?" })
		if answer.Quote == nil || answer.Quote.Text != "oops" {
			t.Fatalf("Bob's quote: %+v", answer.Quote)
		}
		deleted := func(id string) {
			t.Helper()
			del := d.request(ctx, ref(wc.SubMessage, contactB, id))
			if res, err := wc.DecodeResult(del); err != nil || !res.Success || del.Type != wc.TypeResponse || del.SubType != wc.SubConfirmAction {
				t.Fatalf("delete reply %s/%s %+v: %v", del.Type, del.SubType, res, err)
			}
			updated("removed", wc.ModeRemoved, func(m wc.Message) bool { return m.ID == id })
			seq, _ := strconv.ParseInt(id, 10, 64)
			if _, err := a.Store().MessageBySeq(ctx, seq); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("message %s still on the phone: %v", id, err)
			}
		}
		deleted(r.MessageID)
		// His answer comes again, quoting nothing: "oops" is gone here.
		updated("Bob's answer quoting nothing", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == answer.ID && m.Quote != nil && m.Quote.Text == "…" && m.Quote.Identity == ""
		})
		// Bob's own message goes as well, from this phone only.
		deleted(answer.ID)
		// Twice is an unknown message.
		again := d.request(ctx, ref(wc.SubMessage, contactB, answer.ID))
		if res, err := wc.DecodeResult(again); err != nil || res.Success || res.Error != wc.CodeInvalidMessage {
			t.Fatalf("deleting it again: %+v, %v", res, err)
		}
		// Bob keeps both: a text sent after the deletes reaches him after
		// anything they could have sent, and "oops" is still his, untouched.
		if _, err := a.SendText(ctx, b.ID(), "after the deletes"); err != nil {
			t.Fatal(err)
		}
		phonetest.Wait(t, bev, "the text after the deletes", func(x phone.Event) bool {
			if x.Kind == phone.EventMessageDeleted {
				t.Fatalf("Bob's phone deleted message %x", x.MessageID)
			}
			return x.Kind == phone.EventMessage && x.Message.Body == "after the deletes"
		})
		if kept, err := b.Store().MessageInConversation(ctx, a.ID(), e.MessageID); err != nil || kept.Body != "oops" || !kept.DeletedAt.IsZero() {
			t.Fatalf("Bob's copy of oops: %+v, %v", kept, err)
		}
	})
	// Kurier's request/editMessage and request/deleteMessageForEveryone, and
	// a text created by the desktop; they fail the subtest that runs them.
	created := func(to wc.Receiver, text string) string {
		r, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewTextMessageCreate("", wc.TextMessageCreate{Receiver: to, Text: text})))
		if err != nil || r.MessageID == "" {
			d.t.Fatalf("created %+v: %v", r, err)
		}
		return r.MessageID
	}
	edit := func(to wc.Receiver, id, text string) wc.EditResult {
		req := wc.NewEditRequest("", wc.EditRequest{Receiver: to, MessageID: id, Text: text})
		req.Args["temporaryId"] = "tmp-ed"
		r, err := wc.DecodeEditResult(d.request(ctx, req))
		if err != nil || r.SubType != wc.SubEditMessage {
			d.t.Fatalf("edit reply %+v: %v", r, err)
		}
		return r
	}
	del := func(to wc.Receiver, id string) wc.EditResult {
		r, err := wc.DecodeEditResult(d.request(ctx, wc.NewDeleteForEveryoneRequest("", wc.DeleteForEveryoneRequest{Receiver: to, MessageID: id})))
		if err != nil || r.SubType != wc.SubDeleteForEveryone {
			d.t.Fatalf("delete reply %+v: %v", r, err)
		}
		return r
	}
	fails := func(what string, r wc.EditResult, code wc.ErrorCode) {
		d.t.Helper()
		if r.Result.Success || r.Result.Error != code {
			d.t.Fatalf("%s: %+v, want %s", what, r.Result, code)
		}
	}

	run("edit and delete for everyone", func(t *testing.T) {
		id := created(contactB, "tpyo")
		e := phonetest.Wait(t, bev, "tpyo at B", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "tpyo" })
		if r := edit(contactB, id, "typo fixed"); !r.Result.Success || r.MessageID != id || r.Receiver != contactB {
			t.Fatalf("edit: %+v", r)
		}
		got := updated("edited", wc.ModeModified, func(m wc.Message) bool { return m.ID == id && m.Body == "typo fixed" })
		if got.LastEditedAt == 0 || !got.IsOutbox {
			t.Fatalf("pushed %+v", got)
		}
		phonetest.Wait(t, bev, "edit at B", func(x phone.Event) bool {
			return x.Kind == phone.EventMessageEdited && x.MessageID == e.MessageID && x.Message.Body == "typo fixed" && !x.Message.EditedAt.IsZero()
		})
		fails("edit to nothing", edit(contactB, id, ""), wc.CodeBadRequest)
		fails("edit of an unknown message", edit(contactB, "999999", "x"), wc.CodeInvalidMessage)

		if r := del(contactB, id); !r.Result.Success || r.MessageID != id {
			t.Fatalf("delete: %+v", r)
		}
		updated("deleted", wc.ModeRemoved, func(m wc.Message) bool { return m.ID == id })
		phonetest.Wait(t, bev, "delete at B", func(x phone.Event) bool {
			return x.Kind == phone.EventMessageDeleted && x.MessageID == e.MessageID
		})
		// Gone from the pages and the conversation's latest message too.
		page, err := wc.DecodeMessagesResponse(d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: contactB})))
		if err != nil || len(page.Messages) == 0 || slices.ContainsFunc(page.Messages, func(m wc.Message) bool { return m.ID == id }) {
			t.Fatalf("page after delete for everyone: %d messages, %v", len(page.Messages), err)
		}
		convs, err := wc.DecodeConversations(d.request(ctx, wc.NewConversationsRequest("", wc.ConversationsRequest{})))
		if err != nil || !slices.ContainsFunc(convs, func(c wc.Conversation) bool {
			return c.Receiver == contactB && c.LatestMessage != nil && c.LatestMessage.ID != id
		}) {
			t.Fatalf("conversations after delete for everyone: %+v, %v", convs, err)
		}
		fails("edit of a deleted message", edit(contactB, id, "again"), wc.CodeBadRequest)
		fails("delete of a deleted message", del(contactB, id), wc.CodeBadRequest)

		// Only own messages, and only in conversations the phone knows.
		if _, err := b.SendText(ctx, a.ID(), "mine, not yours"); err != nil {
			t.Fatal(err)
		}
		in := updated("B's message", wc.ModeNew, func(m wc.Message) bool { return m.Body == "mine, not yours" })
		fails("edit of B's message", edit(contactB, in.ID, "yours now"), wc.CodeNotAllowed)
		fails("delete of B's message", del(contactB, in.ID), wc.CodeNotAllowed)
		grp := wc.Receiver{Type: wc.ReceiverGroup, ID: "0123456789abcdef"}
		fails("edit in an unknown group", edit(grp, in.ID, "x"), wc.CodeInvalidGroup)
		fails("delete in an unknown group", del(grp, in.ID), wc.CodeInvalidGroup)

		// A peer whose app cannot show edits or deletions: nothing changes.
		old := phonetest.Identity(t, bj, csp.FeatureGroups|csp.FeatureFile)
		if _, err := a.AddContact(ctx, old); err != nil {
			t.Fatal(err)
		}
		toOld := wc.Receiver{Type: wc.ReceiverContact, ID: old}
		oid := created(toOld, "stays as it is")
		fails("edit to an older app", edit(toOld, oid, "changed"), wc.CodeUnsupportedByRecipient)
		fails("delete to an older app", del(toOld, oid), wc.CodeUnsupportedByRecipient)
		seq, _ := strconv.ParseInt(oid, 10, 64)
		if m, err := a.Store().MessageBySeq(ctx, seq); err != nil || m.Body != "stays as it is" || !m.EditedAt.IsZero() || !m.DeletedAt.IsZero() {
			t.Fatalf("after refusals: %+v, %v", m, err)
		}
	})
	run("own sends pushed", func(t *testing.T) {
		// As the control API or a bot sends: the phone emits no event when it
		// queues, so the desktop learns of it when the server acks it.
		m, err := a.SendText(ctx, b.ID(), "from the phone itself")
		if err != nil {
			t.Fatal(err)
		}
		got := updated("own message", wc.ModeNew, func(x wc.Message) bool { return x.ID == strconv.FormatInt(m.Seq, 10) })
		if !got.IsOutbox || got.Body != "from the phone itself" {
			t.Fatalf("pushed %+v", got)
		}
	})
	run("contacts", func(t *testing.T) {
		res, err := wc.DecodeContactResult(d.request(ctx, wc.NewContactCreate("", "", wc.ContactCreate{Identity: c.ID()})))
		if err != nil || !res.Result.Success || res.Contact == nil || res.Contact.ID != c.ID() {
			t.Fatalf("create contact %+v: %v", res, err)
		}
		first, last := "Carol", "Example"
		res, err = wc.DecodeContactResult(d.request(ctx, wc.NewContactUpdate("", "", wc.ContactUpdate{Identity: c.ID(), FirstName: &first, LastName: &last})))
		if err != nil || !res.Result.Success || res.Contact.DisplayName != "Carol Example" {
			t.Fatalf("update contact %+v: %v", res, err)
		}
		d.next(ctx, "update/receiver", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Contact != nil && u.Contact.DisplayName == "Carol Example"
		})
		r := d.request(ctx, wc.NewContactCreate("", "", wc.ContactCreate{Identity: "ZZZZZZZZ"}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidIdentity {
			t.Fatalf("unknown identity: %+v", r.Ack)
		}
		r = d.request(ctx, wc.NewContactUpdate("", "", wc.ContactUpdate{Identity: "ZZZZZZZZ", FirstName: &first}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidContact {
			t.Fatalf("update of no contact: %+v", r.Ack)
		}
	})
	var groupID string
	run("groups", func(t *testing.T) {
		res, err := wc.DecodeGroupResult(d.request(ctx, wc.NewGroupCreate("", "", wc.GroupCreate{Name: "Team", Members: []string{b.ID()}})))
		if err != nil || !res.Result.Success || res.Group == nil || res.Group.DisplayName != "Team" {
			t.Fatalf("create group %+v: %v", res, err)
		}
		groupID = res.Group.ID
		phonetest.Wait(t, bev, "group at B", func(e phone.Event) bool { return e.Kind == phone.EventGroup && e.Group.Name == "Team" })
		res, err = wc.DecodeGroupResult(d.request(ctx, wc.NewGroupUpdate("", "", wc.GroupUpdate{ID: groupID,
			GroupCreate: wc.GroupCreate{Name: "Team 2", Members: []string{a.ID(), b.ID(), c.ID()}}})))
		if err != nil || !res.Result.Success || res.Group.DisplayName != "Team 2" || len(res.Group.Members) != 3 {
			t.Fatalf("update group %+v: %v", res, err)
		}
		phonetest.Wait(t, cev, "group at C", func(e phone.Event) bool { return e.Kind == phone.EventGroup && e.Group.Name == "Team 2" })
		d.next(ctx, "update/receiver group", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Group != nil && u.Group.DisplayName == "Team 2"
		})
		// Sync of an own group re-sends the setup (no reply on success).
		d.send(ctx, wc.NewGroupSync(d.newID(), wc.GroupSync{ID: groupID}))
		phonetest.Wait(t, bev, "re-sent setup at B", func(e phone.Event) bool { return e.Kind == phone.EventGroup && e.Group.Name == "Team 2" })
		if r := d.request(ctx, wc.NewGroupSync("", wc.GroupSync{ID: "0000000000000001"})); r.Ack.Success || r.Ack.Error != wc.CodeInvalidGroup {
			t.Fatalf("sync of no group: %+v", r.Ack)
		}
		// The web may change, sync, leave and delete its own group (the
		// Android app's access flags; Threema Web offers only what they allow).
		want := wc.ReceiverAccess{CanDelete: true, CanChangeAvatar: true, CanChangeName: true, CanChangeMembers: true, CanLeave: true, CanSync: true}
		if res.Group.Access != want {
			t.Fatalf("access to an own group: %+v, want %+v", res.Group.Access, want)
		}
		r := d.request(ctx, wc.NewGroupUpdate("", "", wc.GroupUpdate{ID: "0000000000000001", GroupCreate: wc.GroupCreate{Members: []string{b.ID()}}}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidGroup {
			t.Fatalf("update of no group: %+v", r.Ack)
		}
	})
	run("edit and delete for everyone in a group", func(t *testing.T) {
		// Team 2 (Alice, Bob, Carol): the edit reaches both, as 0x93 from
		// the one message; the deletion as 0x94.
		team := wc.Receiver{Type: wc.ReceiverGroup, ID: groupID}
		id := created(team, "meet at 8")
		atB := phonetest.Wait(t, bev, "the text at B", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "meet at 8" })
		phonetest.Wait(t, cev, "the text at C", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "meet at 8" })
		// Bob replies to it: the desktop shows the reply quoting "meet at 8".
		creator, gid, _ := store.ParseGroupKey(atB.Conversation)
		if _, err := b.SendGroupText(ctx, creator, gid, e2e.QuoteText(atB.MessageID, "fine by me")); err != nil {
			t.Fatal(err)
		}
		reply := updated("Bob's reply", wc.ModeNew, func(m wc.Message) bool { return m.Body == "fine by me" })
		if reply.Quote == nil || reply.Quote.Text != "meet at 8" || reply.Quote.Identity != a.ID() {
			t.Fatalf("the reply's quote: %+v", reply.Quote)
		}
		if r := edit(team, id, "meet at 9"); !r.Result.Success || r.Receiver != team {
			t.Fatalf("edit: %+v", r)
		}
		if got := updated("edited", wc.ModeModified, func(m wc.Message) bool { return m.ID == id && m.Body == "meet at 9" }); got.LastEditedAt == 0 {
			t.Fatalf("pushed %+v", got)
		}
		// The reply is sent again, quoting the new text: the old one is gone everywhere.
		updated("the reply quoting the edit", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == reply.ID && m.Quote != nil && m.Quote.Text == "meet at 9" && m.Quote.Identity == a.ID()
		})
		for who, ev := range map[string]<-chan phone.Event{"B": bev, "C": cev} {
			phonetest.Wait(t, ev, "edit at "+who, func(x phone.Event) bool {
				return x.Kind == phone.EventMessageEdited && x.MessageID == atB.MessageID && x.Message.Body == "meet at 9" &&
					x.Conversation == atB.Conversation
			})
		}
		if r := del(team, id); !r.Result.Success {
			t.Fatalf("delete: %+v", r)
		}
		updated("deleted", wc.ModeRemoved, func(m wc.Message) bool { return m.ID == id })
		// And after the deletion, quoting nothing.
		updated("the reply quoting the deleted message", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == reply.ID && m.Quote != nil && m.Quote.Text == "…" && m.Quote.Identity == ""
		})
		for who, ev := range map[string]<-chan phone.Event{"B": bev, "C": cev} {
			phonetest.Wait(t, ev, "delete at "+who, func(x phone.Event) bool {
				return x.Kind == phone.EventMessageDeleted && x.MessageID == atB.MessageID
			})
		}
		// A quote of the deleted message shows no sender and none of its text.
		if _, err := b.SendGroupText(ctx, creator, gid, e2e.QuoteText(atB.MessageID, "what was that?")); err != nil {
			t.Fatal(err)
		}
		q := updated("Bob's quote of it", wc.ModeNew, func(m wc.Message) bool { return m.Body == "what was that?" })
		if q.Quote == nil || q.Quote.Identity != "" || q.Quote.Text != "…" {
			t.Fatalf("quote of a deleted message: %+v", q.Quote)
		}
		// Bob's message in the group is not the desktop's to change.
		bobs, err := b.SendGroupText(ctx, creator, gid, "Bob's words")
		if err != nil {
			t.Fatal(err)
		}
		his := updated("Bob's group message", wc.ModeNew, func(m wc.Message) bool { return m.Body == "Bob's words" })
		fails("edit of Bob's group message", edit(team, his.ID, "Alice's words"), wc.CodeNotAllowed)
		fails("delete of Bob's group message", del(team, his.ID), wc.CodeNotAllowed)
		// Carol answers it and Bob edits it: the desktop gets her answer
		// again, quoting his new words (a peer's edit, pushed by the phone).
		if _, err := c.SendGroupText(ctx, creator, gid, e2e.QuoteText(bobs.MessageID, "agreed")); err != nil {
			t.Fatal(err)
		}
		answer := updated("Carol's answer", wc.ModeNew, func(m wc.Message) bool { return m.Body == "agreed" })
		if answer.Quote == nil || answer.Quote.Text != "Bob's words" {
			t.Fatalf("Carol's quote: %+v", answer.Quote)
		}
		if _, err := b.EditMessage(ctx, bobs.Conversation, bobs.MessageID, "Bob's better words"); err != nil {
			t.Fatal(err)
		}
		updated("Bob's edit", wc.ModeModified, func(m wc.Message) bool { return m.ID == his.ID && m.Body == "Bob's better words" })
		updated("Carol's answer quoting his edit", wc.ModeModified, func(m wc.Message) bool {
			return m.ID == answer.ID && m.Quote != nil && m.Quote.Text == "Bob's better words" && m.Quote.Identity == b.ID()
		})

		// Past the 6 hours, in the group as 1:1: messageTooOld, nothing changes.
		for _, r := range []wc.Receiver{team, contactB} {
			kind, conv := store.KindGroup, atB.Conversation
			if r == contactB {
				kind, conv = store.KindContact, store.ContactKey(b.ID())
			}
			seq, err := a.Store().AddMessage(ctx, kind, store.Message{Conversation: conv, Sender: a.ID(), MessageID: 4242, Outgoing: true,
				Type: e2e.TypeText, Body: "old news", State: store.StateSent, CreatedAt: time.Now().Add(-phone.EditWindow - time.Minute)})
			if err != nil {
				t.Fatal(err)
			}
			old := strconv.FormatInt(seq, 10)
			fails("edit of an old message", edit(r, old, "new news"), wc.CodeMessageTooOld)
			fails("delete of an old message", del(r, old), wc.CodeMessageTooOld)
			if m, err := a.Store().MessageBySeq(ctx, seq); err != nil || m.Body != "old news" || !m.EditedAt.IsZero() || !m.DeletedAt.IsZero() {
				t.Fatalf("old message after refusals: %+v %v", m, err)
			}
		}
	})
	run("leave group", func(t *testing.T) {
		g, err := b.CreateGroup(ctx, "Bob's", []string{a.ID()})
		if err != nil {
			t.Fatal(err)
		}
		id := webclient.GroupWireID(g.Creator, g.ID)
		d.next(ctx, "Bob's group", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Group != nil && u.Group.ID == id
		})
		if r := d.request(ctx, wc.NewGroupDelete("", "", wc.GroupDelete{ID: id, DeleteType: wc.DeleteLeave})); !r.Ack.Success {
			t.Fatalf("leave: %+v", r.Ack)
		}
		r := d.request(ctx, wc.NewGroupDelete("", "", wc.GroupDelete{ID: id, DeleteType: wc.DeleteLeave}))
		if r.Ack.Success || r.Ack.Error != wc.CodeAlreadyLeft {
			t.Fatalf("leave twice: %+v", r.Ack)
		}
	})
	run("dissolve and delete groups", func(t *testing.T) {
		groupAccess := func(id string) (wc.ReceiverAccess, bool) {
			rs, err := wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range rs.Groups {
				if g.ID == id {
					return g.Access, true
				}
			}
			return wc.ReceiverAccess{}, false
		}
		deleted := func(id string) {
			t.Helper()
			if r := d.request(ctx, wc.NewGroupDelete("", "", wc.GroupDelete{ID: id, DeleteType: wc.DeleteDelete})); !r.Ack.Success {
				t.Fatalf("delete %s: %+v", id, r.Ack)
			}
			d.next(ctx, "group removed", func(m wc.WireMessage) bool {
				u, err := wc.DecodeReceiverUpdate(m)
				return err == nil && u.Receiver == wc.Receiver{Type: wc.ReceiverGroup, ID: id} && u.Mode == wc.ModeRemoved
			})
			if _, ok := groupAccess(id); ok {
				t.Fatalf("group %s still among the receivers", id)
			}
		}
		// Leaving an own group dissolves it: the members see it ended, and
		// it stays on the phone, left, for the web to delete.
		res, err := wc.DecodeGroupResult(d.request(ctx, wc.NewGroupCreate("", "", wc.GroupCreate{Name: "Short-lived", Members: []string{b.ID(), c.ID()}})))
		if err != nil || !res.Result.Success {
			t.Fatalf("create group %+v: %v", res, err)
		}
		short := res.Group.ID
		phonetest.Wait(t, cev, "Short-lived at C", func(e phone.Event) bool { return e.Kind == phone.EventGroup && e.Group.Name == "Short-lived" })
		if r := d.request(ctx, wc.NewGroupDelete("", "", wc.GroupDelete{ID: short, DeleteType: wc.DeleteLeave})); !r.Ack.Success {
			t.Fatalf("leave an own group: %+v", r.Ack)
		}
		for _, x := range []<-chan phone.Event{bev, cev} {
			phonetest.Wait(t, x, "Short-lived ended", func(e phone.Event) bool {
				return e.Kind == phone.EventGroup && e.Group.Creator == a.ID() && e.Group.Left && len(e.Group.Members) == 0
			})
		}
		if acc, ok := groupAccess(short); !ok || acc != (wc.ReceiverAccess{CanDelete: true}) {
			t.Fatalf("access to a dissolved group: %+v (%v), want only canDelete", acc, ok)
		}
		deleted(short)
		// Delete on a group someone else made, still joined: left first
		// (the others hear it), then gone from the phone with its messages.
		g, err := b.CreateGroup(ctx, "Bob's second", []string{a.ID(), c.ID()})
		if err != nil {
			t.Fatal(err)
		}
		second := webclient.GroupWireID(g.Creator, g.ID)
		d.next(ctx, "Bob's second group", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Group != nil && u.Group.ID == second
		})
		if acc, _ := groupAccess(second); acc != (wc.ReceiverAccess{CanLeave: true}) {
			t.Fatalf("access to another's group: %+v, want only canLeave", acc)
		}
		if _, err := b.SendGroupText(ctx, g.Creator, g.ID, "hello group"); err != nil {
			t.Fatal(err)
		}
		updated("the group's text", wc.ModeNew, func(m wc.Message) bool { return m.Body == "hello group" })
		deleted(second)
		phonetest.Wait(t, bev, "Alice leaving Bob's second", func(e phone.Event) bool {
			return e.Kind == phone.EventGroup && e.Group.ID == g.ID && !slices.Contains(e.Group.Members, a.ID())
		})
		if _, err := a.Group(ctx, g.Creator, g.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Bob's second group still on the phone: %v", err)
		}
		if ms, err := a.Store().Messages(ctx, store.GroupKey(g.Creator, g.ID), 0, 0); err != nil || len(ms) != 0 {
			t.Fatalf("its messages: %d, %v", len(ms), err)
		}
		// A group left before (the leave group step's) is deleted at once.
		rs, err := wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
		if err != nil {
			t.Fatal(err)
		}
		var left string
		for _, x := range rs.Groups {
			if x.Disabled && x.Administrator == b.ID() {
				left = x.ID
			}
		}
		if left == "" {
			t.Fatal("no group left before")
		}
		deleted(left)
		if r := d.request(ctx, wc.NewGroupDelete("", "", wc.GroupDelete{ID: left, DeleteType: wc.DeleteDelete})); r.Ack.Success || r.Ack.Error != wc.CodeInvalidGroup {
			t.Fatalf("delete a deleted group: %+v", r.Ack)
		}
	})
	run("distribution lists", func(t *testing.T) {
		res, err := wc.DecodeDistributionListResult(d.request(ctx, wc.NewDistributionListCreate("", "",
			wc.DistributionListCreate{Name: "All", Members: []string{b.ID(), c.ID()}})))
		if err != nil || !res.Result.Success || res.DistributionList == nil || len(res.DistributionList.Members) != 2 {
			t.Fatalf("create list %+v: %v", res, err)
		}
		list := wc.Receiver{Type: wc.ReceiverDistributionList, ID: res.DistributionList.ID}
		rs, err := wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
		if err != nil || len(rs.DistributionLists) != 1 || rs.DistributionLists[0].ID != list.ID {
			t.Fatalf("receivers %+v: %v", rs.DistributionLists, err)
		}
		cr, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewTextMessageCreate("", wc.TextMessageCreate{Receiver: list, Text: "to all"})))
		if err != nil || cr.MessageID == "" {
			t.Fatalf("list text %+v: %v", cr, err)
		}
		phonetest.Wait(t, cev, "list text at C", func(e phone.Event) bool {
			return e.Kind == phone.EventMessage && e.Message.Body == "to all"
		})
		// A file goes to each member as a 1:1 file message of its own (the
		// list's conversation shows it once); it was invalidConversation.
		listFile := []byte("minutes of the meeting")
		fr, err := wc.DecodeMessageCreated(d.request(ctx, wc.NewFileMessageCreate("", wc.FileMessageCreate{Receiver: list,
			Name: "minutes.txt", FileType: "text/plain", Size: uint64(len(listFile)), Data: listFile, Caption: "for all"})))
		if err != nil || !fr.Result.Success || fr.MessageID == "" {
			t.Fatalf("list file %+v: %v", fr, err)
		}
		shown := updated("the list's file message", wc.ModeNew, func(m wc.Message) bool { return m.ID == fr.MessageID })
		if shown.File == nil || shown.File.Name != "minutes.txt" || shown.Caption != "for all" {
			t.Fatalf("the list's file message: %+v", shown)
		}
		for _, x := range []struct {
			p  *phone.Phone
			ev <-chan phone.Event
		}{{b, bev}, {c, cev}} {
			e := phonetest.Wait(t, x.ev, "the list's file at "+x.p.ID(), func(e phone.Event) bool {
				return e.Kind == phone.EventMessage && e.Message.Type == e2e.TypeFile && e.Message.Body == "for all"
			})
			got, err := x.p.DownloadFile(ctx, *e.Message)
			if err != nil || !bytes.Equal(got, listFile) {
				t.Fatalf("the file at %s: %q, %v", x.p.ID(), got, err)
			}
		}
		blob, err := wc.DecodeBlobResponse(d.request(ctx, ref(wc.SubBlob, list, fr.MessageID)))
		if err != nil || !bytes.Equal(blob.Blob, listFile) {
			t.Fatalf("the list message's blob: %q, %v", blob.Blob, err)
		}
		cs, err := wc.DecodeConversations(d.request(ctx, wc.NewConversationsRequest("", wc.ConversationsRequest{})))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range cs {
			found = found || (x.Receiver == list && x.MessageCount == 2)
		}
		if !found {
			t.Fatalf("no list conversation in %+v", cs)
		}
		// Update: rename, only B left.
		up, err := wc.DecodeDistributionListResult(d.request(ctx, wc.NewDistributionListUpdate("", "",
			wc.DistributionListUpdate{ID: list.ID, DistributionListCreate: wc.DistributionListCreate{Name: "Just B", Members: []string{b.ID()}}})))
		if err != nil || !up.Result.Success || up.DistributionList == nil || up.DistributionList.DisplayName != "Just B" ||
			len(up.DistributionList.Members) != 1 || up.DistributionList.Members[0] != b.ID() {
			t.Fatalf("update list %+v: %v", up, err)
		}
		d.next(ctx, "receiver modified", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Receiver == list && u.Mode == wc.ModeModified
		})
		// Clean its conversation: no messages left.
		r := d.request(ctx, wc.NewCleanReceiverConversation("", list))
		if !r.Ack.Success {
			t.Fatalf("clean list conversation: %+v", r.Ack)
		}
		p, err := wc.DecodeMessagesResponse(d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: list})))
		if err != nil || len(p.Messages) != 0 {
			t.Fatalf("messages after clean: %+v, %v", p, err)
		}
		// Delete: gone from the receivers; a second delete is invalidDistributionList.
		r = d.request(ctx, wc.NewDistributionListDelete("", "", wc.DistributionListDelete{ID: list.ID}))
		if !r.Ack.Success {
			t.Fatalf("delete list: %+v", r.Ack)
		}
		d.next(ctx, "receiver removed", func(m wc.WireMessage) bool {
			u, err := wc.DecodeReceiverUpdate(m)
			return err == nil && u.Receiver == list && u.Mode == wc.ModeRemoved
		})
		rs, err = wc.DecodeReceivers(d.request(ctx, wc.NewRequest(wc.SubReceivers, "")))
		if err != nil || len(rs.DistributionLists) != 0 {
			t.Fatalf("receivers after delete %+v: %v", rs.DistributionLists, err)
		}
		r = d.request(ctx, wc.NewDistributionListDelete("", "", wc.DistributionListDelete{ID: list.ID}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidDistributionList {
			t.Fatalf("delete unknown list: %+v", r.Ack)
		}
	})
	run("clean contact conversation", func(t *testing.T) {
		r := d.request(ctx, wc.NewCleanReceiverConversation("", contactB))
		if !r.Ack.Success {
			t.Fatalf("clean: %+v", r.Ack)
		}
		p, err := wc.DecodeMessagesResponse(d.request(ctx, wc.NewMessagesRequest("", wc.MessagesRequest{Receiver: contactB})))
		if err != nil || len(p.Messages) != 0 {
			t.Fatalf("messages after clean: %d, %v", len(p.Messages), err)
		}
		if _, err := b.SendText(ctx, a.ID(), "after clean"); err != nil {
			t.Fatal(err)
		}
		updated("message after clean", wc.ModeNew, func(m wc.Message) bool { return m.Body == "after clean" })
	})
}
