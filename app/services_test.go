package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	phonestore "github.com/kurier/kurier/phone/store"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// pairedDesktop pairs a fresh desktop (no password) with Alice's phone.
func pairedDesktop(t *testing.T, w *world) (*app.Services, *events) {
	t.Helper()
	d, ev := startDesktop(t, t.TempDir(), w.sig)
	st, _ := d.Link.Status()
	if st.PairingCode == "" {
		t.Fatalf("no pairing code at start: %+v", st)
	}
	pairAndSync(t, w, ev, st.PairingCode)
	return d, ev
}

// pairAndSync pairs the desktop that shows code with Alice's phone and waits
// until it is connected and the first sync has told it its phone (and its
// limits).
func pairAndSync(t *testing.T, w *world, ev *events, code string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if _, err := w.desktops.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "connected", linkState(app.LinkConnected))
	ev.wait(t, "the phone's profile", func(e app.Event) bool {
		p, ok := e.Data.(app.Profile)
		return ok && p.Identity == w.alice.ID()
	})
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPeopleAndChatServices drives every PeopleService and ChatService
// call against a real phone: contacts, groups, lists, profile, files,
// thumbnails, receipts, typing, deletion and bad input.
func TestPeopleAndChatServices(t *testing.T) {
	w := newWorld(t)
	carol, _ := phonetest.Phone(t, w.backendFile, "Carol")
	bobTexts := phoneTexts(w.bob)
	bobTyping := make(chan bool, 10)
	w.bob.Subscribe(func(e phone.Event) {
		if e.Kind == phone.EventTyping {
			bobTyping <- e.Typing
		}
	})
	d, ev := pairedDesktop(t, w)
	bobR := app.Receiver{Type: app.ReceiverContact, ID: w.bob.ID()}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	// Contacts.
	if _, err := d.People.AddContact("not an id"); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("bad id: %v", err)
	}
	c, err := d.People.AddContact(strings.ToLower(carol.ID()))
	if err != nil || c.ID != carol.ID() || c.VerificationLevel != 1 || c.Fingerprint == "" || len(c.PublicKey) != 64 {
		t.Fatalf("AddContact: %+v, %v", c, err)
	}
	if rs, _ := d.People.Receivers(); len(rs.Contacts) != 2 {
		t.Fatalf("contacts after add: %+v", rs.Contacts)
	}

	// Groups: create, rename and change members, use, leave.
	if _, err := d.People.CreateGroup("", []string{w.bob.ID()}); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("group without a name: %v", err)
	}
	g, err := d.People.CreateGroup("Friends", []string{w.bob.ID()})
	if err != nil || g.Name != "Friends" || g.Administrator != w.alice.ID() {
		t.Fatalf("CreateGroup: %+v, %v", g, err)
	}
	g, err = d.People.UpdateGroup(g.ID, "Best friends", []string{w.bob.ID(), carol.ID()})
	if err != nil || g.Name != "Best friends" || len(g.Members) < 3 {
		t.Fatalf("UpdateGroup: %+v, %v", g, err)
	}
	groupR := app.Receiver{Type: app.ReceiverGroup, ID: g.ID}
	if _, err := d.Chat.SendText(groupR, "hello group", ""); err != nil {
		t.Fatal(err)
	}
	waitText(t, bobTexts, "hello group")
	ev.wait(t, "the group in the conversation list", func(e app.Event) bool {
		ce, ok := e.Data.(app.ConversationsEvent)
		if !ok {
			return false
		}
		for _, c := range ce.Conversations {
			if c.Receiver == groupR && c.Name == "Best friends" {
				return true
			}
		}
		return false
	})

	// A group message from Bob is unread until the desktop reads the group
	// (no receipts for groups: the phone marks it read locally).
	bobGroups, err := w.bob.Groups(ctx)
	if err != nil || len(bobGroups) != 1 {
		t.Fatalf("Bob's groups: %+v, %v", bobGroups, err)
	}
	if _, err := w.bob.SendGroupText(ctx, bobGroups[0].Creator, bobGroups[0].ID, "hi all"); err != nil {
		t.Fatal(err)
	}
	unread := func(n int) func(app.Event) bool {
		return func(e app.Event) bool {
			ce, ok := e.Data.(app.ConversationsEvent)
			return ok && slices.ContainsFunc(ce.Conversations, func(c app.Conversation) bool { return c.Receiver == groupR && c.UnreadCount == n })
		}
	}
	ev.wait(t, "the group unread", unread(1))
	mark := ev.mark()
	if err := d.Chat.MarkRead(groupR); err != nil {
		t.Fatal(err)
	}
	ev.waitFrom(t, mark, "the group read", unread(0))

	// A distribution list.
	l, err := d.People.CreateDistributionList("Everyone", []string{w.bob.ID(), carol.ID()})
	if err != nil || l.Name != "Everyone" || len(l.Members) != 2 {
		t.Fatalf("CreateDistributionList: %+v, %v", l, err)
	}
	if _, err := d.Chat.SendText(app.Receiver{Type: app.ReceiverDistributionList, ID: l.ID}, "to everyone", ""); err != nil {
		t.Fatal(err)
	}
	waitText(t, bobTexts, "to everyone")
	l, err = d.People.UpdateDistributionList(l.ID, "Just Bob", []string{w.bob.ID()})
	if err != nil || l.Name != "Just Bob" || len(l.Members) != 1 {
		t.Fatalf("UpdateDistributionList: %+v, %v", l, err)
	}
	if err := d.People.DeleteDistributionList(l.ID); err != nil {
		t.Fatal(err)
	}
	if rs, _ := d.People.Receivers(); len(rs.DistributionLists) != 0 {
		t.Fatalf("lists after delete: %+v", rs.DistributionLists)
	}
	if err := d.People.DeleteDistributionList(l.ID); err == nil {
		t.Fatal("deleted a list twice")
	}

	// Typing, text with a quote, receipts.
	if err := d.Chat.SetTyping(bobR, true); err != nil {
		t.Fatal(err)
	}
	if typing := <-bobTyping; !typing {
		t.Fatal("Bob did not see Alice typing")
	}
	if _, err := d.Chat.SendText(bobR, strings.Repeat("x", 6001), ""); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("text over the limit: %v", err)
	}
	first, err := d.Chat.SendText(bobR, "first", "")
	if err != nil {
		t.Fatal(err)
	}
	waitText(t, bobTexts, "first")
	ev.wait(t, "first delivered", func(e app.Event) bool {
		me, ok := e.Data.(app.MessagesEvent)
		if !ok {
			return false
		}
		for _, m := range me.Messages {
			if m.ID == first.ID && (m.State == "delivered" || m.State == "read") {
				return true
			}
		}
		return false
	})
	reply, err := d.Chat.SendText(bobR, "second", first.ID)
	if err != nil || reply.Quote == nil || reply.Quote.Text != "first" {
		t.Fatalf("quoted reply: %+v, %v", reply, err)
	}

	// Files: an image (with thumbnail) and its download; a file over the limit.
	img := testPNG(t)
	fm, err := d.Chat.SendFile(bobR, app.FileUpload{Name: "pic.png", Mime: "image/png", Data: base64.StdEncoding.EncodeToString(img), Caption: "a picture"})
	if err != nil || fm.Type != "image" || fm.File == nil || fm.File.Size != int64(len(img)) {
		t.Fatalf("SendFile: %+v, %v", fm, err)
	}
	waitText(t, bobTexts, "a picture")
	thumb, err := d.Chat.Thumbnail(bobR, fm.ID)
	if err != nil || !strings.HasPrefix(thumb, "data:image/") {
		t.Fatalf("Thumbnail: %.30q, %v", thumb, err)
	}
	fd, err := d.Chat.File(bobR, fm.ID)
	if err != nil || fd.Name != "pic.png" || fd.Data != base64.StdEncoding.EncodeToString(img) {
		t.Fatalf("File: %s %s %d bytes, %v", fd.Name, fd.Mime, len(fd.Data), err)
	}
	lim, _ := d.Chat.Limits()
	big := base64.StdEncoding.EncodeToString(make([]byte, lim.MaxFileBytes+1))
	if _, err := d.Chat.SendFile(bobR, app.FileUpload{Name: "big.bin", Data: big}); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("file over the limit: %v", err)
	}
	if _, err := d.Chat.SendFile(bobR, app.FileUpload{Name: "x", Data: "%%%"}); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("file not base64: %v", err)
	}

	// An incoming image from Bob: the thumbnail comes through the phone.
	if _, err := w.bob.SendFile(ctx, w.alice.ID(), phone.FileInput{Name: "bob.png", MIME: "image/png", Data: img, Caption: "from bob"}); err != nil {
		t.Fatal(err)
	}
	in := ev.wait(t, "Bob's image", messageEvent("from bob", false)).Data.(app.MessagesEvent)
	var bobImg app.Message
	for _, m := range in.Messages {
		if m.Text == "from bob" {
			bobImg = m
		}
	}
	if bobImg.File == nil || !bobImg.File.Thumbnail || bobImg.Type != "image" {
		t.Fatalf("incoming image: %+v", bobImg)
	}
	if thumb, err := d.Chat.Thumbnail(bobR, bobImg.ID); err != nil || !strings.HasPrefix(thumb, "data:image/") {
		t.Fatalf("incoming thumbnail: %.30q, %v", thumb, err)
	}
	if fd, err := d.Chat.File(bobR, bobImg.ID); err != nil || fd.Data != base64.StdEncoding.EncodeToString(img) {
		t.Fatalf("incoming file: %d bytes, %v", len(fd.Data), err)
	}

	// Read, delete, drafts, bad receivers.
	if err := d.Chat.MarkRead(bobR); err != nil {
		t.Fatal(err)
	}
	// Delete (for me) takes Bob's message and an own one off the phone and
	// this computer; a message the phone does not have is refused, and the
	// refusal comes back.
	for _, id := range []string{bobImg.ID, first.ID} {
		if err := d.Chat.DeleteMessage(bobR, id); err != nil {
			t.Fatalf("delete %s: %v", id, err)
		}
		ev.wait(t, "deletion", func(e app.Event) bool {
			me, ok := e.Data.(app.MessagesEvent)
			return ok && len(me.Removed) == 1 && me.Removed[0] == id
		})
	}
	if err := d.Chat.DeleteMessage(bobR, first.ID); !errors.Is(err, wc.ErrInvalidMessage) {
		t.Fatalf("deleting it again: %v", err)
	}
	for _, r := range []app.Receiver{{Type: "me", ID: "x"}, {Type: app.ReceiverContact, ID: "bad"}, {Type: app.ReceiverGroup, ID: "zz"}} {
		if _, err := d.Chat.Messages(r, "", 10); !errors.Is(err, app.ErrInvalid) {
			t.Errorf("Messages(%+v): %v", r, err)
		}
	}
	// Profile.
	if _, err := d.People.SetNickname(strings.Repeat("x", 40)); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("long nickname: %v", err)
	}
	if p, err := d.People.SetNickname("Alice D."); err != nil || p.Nickname != "Alice D." {
		t.Fatalf("SetNickname: %+v, %v", p, err)
	}

	// The profile picture: set (the phone scales it), refused when not an image, removed.
	if p, err := d.People.SetAvatar(base64.StdEncoding.EncodeToString(img)); err != nil || !strings.HasPrefix(p.Avatar, "data:image/jpeg;base64,") {
		t.Fatalf("SetAvatar: %.40q, %v", p.Avatar, err)
	}
	if _, err := d.People.SetAvatar(base64.StdEncoding.EncodeToString([]byte("not an image"))); err == nil {
		t.Fatal("a text accepted as a profile picture")
	}
	if _, err := d.People.SetAvatar("%%%"); !errors.Is(err, app.ErrInvalid) {
		t.Fatalf("not base64: %v", err)
	}
	if p, err := d.People.SetAvatar(""); err != nil || p.Avatar != "" {
		t.Fatalf("remove avatar: %.40q, %v", p.Avatar, err)
	}

	// Leaving a group someone else created.
	if _, err := w.bob.CreateGroup(ctx, "Bob's club", []string{w.alice.ID()}); err != nil {
		t.Fatal(err)
	}
	club := ev.wait(t, "Bob's group", func(e app.Event) bool {
		rs, ok := e.Data.(app.Receivers)
		return ok && slices.ContainsFunc(rs.Groups, func(g app.Group) bool { return g.Name == "Bob's club" })
	}).Data.(app.Receivers)
	clubID := club.Groups[slices.IndexFunc(club.Groups, func(g app.Group) bool { return g.Name == "Bob's club" })].ID
	if err := d.People.LeaveGroup(clubID); err != nil {
		t.Fatal(err)
	}
	rs, _ := d.People.Receivers()
	for _, gr := range rs.Groups {
		if gr.ID == clubID && !gr.Left {
			t.Fatalf("group not left: %+v", gr)
		}
	}
	// Leaving her own group ends it for every member, as in Threema.
	if err := d.People.LeaveGroup(g.ID); err != nil {
		t.Fatalf("leave an own group: %v", err)
	}
	for deadline := time.Now().Add(timeout); ; time.Sleep(20 * time.Millisecond) {
		gs, err := w.bob.Groups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(gs, func(x phonestore.Group) bool { return x.Name == "Best friends" })
		if i >= 0 && gs[i].Left {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Bob's phone never saw Best friends ended: %+v", gs)
		}
	}
	// Deleting both takes them and their chats off the phone and this
	// computer.
	for _, id := range []string{g.ID, clubID} {
		mark := ev.mark()
		if err := d.People.DeleteGroup(id); err != nil {
			t.Fatalf("delete group %s: %v", id, err)
		}
		gr := app.Receiver{Type: app.ReceiverGroup, ID: id}
		ev.waitFrom(t, mark, "the group's chat gone", func(e app.Event) bool {
			ce, ok := e.Data.(app.ConversationsEvent)
			return ok && ce.Replace && !slices.ContainsFunc(ce.Conversations, func(c app.Conversation) bool { return c.Receiver == gr })
		})
		if page, err := d.Chat.Messages(gr, "", 10); err == nil && len(page.Messages) > 0 {
			t.Fatalf("messages of deleted group %s: %+v", id, page.Messages)
		}
	}
	// Nor does the search find what was written in them.
	if hits, err := d.Chat.Search("hello group", 10); err != nil || len(hits) != 0 {
		t.Fatalf("search after deleting the groups: %+v, %v", hits, err)
	}
	rs, _ = d.People.Receivers()
	if len(rs.Groups) != 0 {
		t.Fatalf("groups after deleting both: %+v", rs.Groups)
	}
}
