package webclient_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	wc "github.com/kurier/kurier/protocol/webclient"
)

// pngOf encodes a w×h test picture.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edgeOf is the longest edge of a JPEG, failing for anything else.
func edgeOf(t *testing.T, b []byte) int {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("avatar is not a JPEG: %v", err)
	}
	return max(cfg.Width, cfg.Height)
}

// TestDesktopAvatars pairs a Go initiator with Alice's phone and checks
// every avatar path of the Web protocol against real phones: the profile
// picture set from the desktop (and its way to Bob), request/avatar in
// both resolutions and with maxSize, avatars inlined in
// response/conversations, update/avatar pushes for Bob's picture and a
// group photo, and the refusal of bad images.
func TestDesktopAvatars(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, bev := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 3*phonetest.Timeout)
	defer cancel()
	phonetest.Befriend(t, b, a)
	if _, err := b.SendText(ctx, a.ID(), "hi"); err != nil { // a conversation to list
		t.Fatal(err)
	}

	srv := serveDesktops(t, a, webclient.Config{})
	d, _, _ := pairPermanent(ctx, t, bj, srv)
	me := wc.Receiver{Type: wc.ReceiverMe, ID: a.ID()}
	contactB := wc.Receiver{Type: wc.ReceiverContact, ID: b.ID()}
	parent := t
	run := func(name string, f func(t *testing.T)) {
		parent.Run(name, func(t *testing.T) {
			d.t = t
			defer func() { d.t = parent }()
			f(t)
		})
	}
	avatar := func(r wc.Receiver, high bool, maxSize uint32) wc.Avatar {
		d.t.Helper()
		av, err := wc.DecodeAvatarResponse(d.request(ctx, wc.NewAvatarRequest("", wc.AvatarRequest{Receiver: r, HighResolution: high, MaxSize: maxSize})))
		if err != nil {
			d.t.Fatal(err)
		}
		return av
	}

	run("clientInfo announces JPEG avatars", func(t *testing.T) {
		ci, err := wc.DecodeClientInfo(d.request(ctx, wc.NewClientInfoRequest("", wc.ClientInfoRequest{UserAgent: "test"})))
		if err != nil || ci.Capabilities.ImageFormat.Avatar != "image/jpeg" {
			t.Fatalf("%+v: %v", ci.Capabilities.ImageFormat, err)
		}
		if !ci.Capabilities.EmojiReactions || !ci.Capabilities.KurierReactions || !ci.Capabilities.KurierEdits || ci.Capabilities.GroupReactions {
			t.Fatalf("reaction capabilities %+v", ci.Capabilities)
		}
	})
	run("profile picture from the desktop", func(t *testing.T) {
		r := d.request(ctx, wc.NewProfileUpdate("", wc.ProfileUpdate{Avatar: pngOf(t, 1024, 1024)}))
		if res, err := wc.DecodeResult(r); err != nil || !res.Success || r.SubType != wc.SubConfirmAction {
			t.Fatalf("reply %s/%s %+v: %v", r.Type, r.SubType, res, err)
		}
		pr, err := wc.DecodeProfile(d.request(ctx, wc.NewRequest(wc.SubProfile, "")))
		if err != nil || edgeOf(t, pr.Avatar) != 512 {
			t.Fatalf("response/profile: %v", err)
		}
		phonetest.Wait(t, bev, "Alice's picture at Bob", func(e phone.Event) bool {
			return e.Kind == phone.EventAvatar && e.Conversation == store.ContactKey(a.ID())
		})
		if img, err := b.Avatar(ctx, store.ContactKey(a.ID())); err != nil || edgeOf(t, img) != 512 {
			t.Fatalf("Bob has no picture of Alice: %v", err)
		}
	})
	run("request avatar me", func(t *testing.T) {
		if av := avatar(me, true, 0); edgeOf(t, av.Image) != 512 || !av.HighResolution {
			t.Fatalf("high resolution %+v", av.Receiver)
		}
		if av := avatar(me, false, 0); edgeOf(t, av.Image) != wc.AvatarLowResPx {
			t.Fatal("low resolution")
		}
		if av := avatar(me, false, 100); edgeOf(t, av.Image) != 100 {
			t.Fatal("maxSize 100")
		}
	})
	run("bad images refused", func(t *testing.T) {
		r := d.request(ctx, wc.NewProfileUpdate("", wc.ProfileUpdate{Avatar: []byte("not an image")}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidAvatar {
			t.Fatalf("text as avatar: %+v", r.Ack)
		}
		r = d.request(ctx, wc.NewProfileUpdate("", wc.ProfileUpdate{Avatar: make([]byte, wc.MaxAvatarBytes+1)}))
		if r.Ack.Success {
			t.Fatalf("oversized avatar: %+v", r.Ack)
		}
		if av := avatar(me, true, 0); av.Image == nil {
			t.Fatal("a refused image removed the profile picture")
		}
		// A nickname over 32 bytes is valueTooLong, as the Android app
		// answers, and changes nothing.
		long := strings.Repeat("n", phone.MaxNicknameBytes+1)
		r = d.request(ctx, wc.NewProfileUpdate("", wc.ProfileUpdate{PublicNickname: &long}))
		if r.Ack.Success || r.Ack.Error != wc.CodeValueTooLong || a.Nickname() == long {
			t.Fatalf("long nickname: %+v", r.Ack)
		}
	})
	run("contact picture pushed and inlined", func(t *testing.T) {
		if _, err := b.SetProfilePicture(ctx, pngOf(t, 300, 200)); err != nil {
			t.Fatal(err)
		}
		m := d.next(ctx, "update/avatar of Bob", func(m wc.WireMessage) bool {
			av, err := wc.DecodeAvatarUpdate(m)
			return err == nil && av.Receiver == contactB && av.Image != nil
		})
		av, _ := wc.DecodeAvatarUpdate(m)
		if edgeOf(t, av.Image) != wc.AvatarLowResPx {
			t.Fatal("update/avatar is not low resolution")
		}
		if av := avatar(contactB, true, 0); edgeOf(t, av.Image) != 300 {
			t.Fatal("Bob's high-resolution avatar")
		}
		convs, err := wc.DecodeConversations(d.request(ctx, wc.NewConversationsRequest("", wc.ConversationsRequest{MaxSize: 32})))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range convs {
			if c.Receiver == contactB {
				found = true
				if edgeOf(t, c.Avatar) != 32 {
					t.Fatal("conversation avatar not scaled to maxSize")
				}
			}
		}
		if !found {
			t.Fatal("no conversation with Bob")
		}
		if err := b.DeleteProfilePicture(ctx); err != nil {
			t.Fatal(err)
		}
		d.next(ctx, "update/avatar removing Bob's", func(m wc.WireMessage) bool {
			av, err := wc.DecodeAvatarUpdate(m)
			return err == nil && av.Receiver == contactB && av.Image == nil
		})
		if av := avatar(contactB, true, 0); av.Image != nil {
			t.Fatal("Bob's avatar after delete")
		}
	})
	run("group photo from the desktop", func(t *testing.T) {
		r := d.request(ctx, wc.NewGroupCreate("", "", wc.GroupCreate{Name: "pics", Members: []string{b.ID()}, Avatar: []byte("nope")}))
		if r.Ack.Success || r.Ack.Error != wc.CodeInvalidAvatar {
			t.Fatalf("group with a bad photo: %+v", r.Ack)
		}
		res, err := wc.DecodeGroupResult(d.request(ctx, wc.NewGroupCreate("", "", wc.GroupCreate{Name: "pics", Members: []string{b.ID()}, Avatar: pngOf(t, 80, 80)})))
		if err != nil || res.Group == nil {
			t.Fatalf("create group: %v", err)
		}
		group := wc.Receiver{Type: wc.ReceiverGroup, ID: res.Group.ID}
		if av := avatar(group, true, 0); edgeOf(t, av.Image) != 80 {
			t.Fatal("group photo")
		}
		phonetest.Wait(t, bev, "group photo at Bob", func(e phone.Event) bool {
			_, _, ok := store.ParseGroupKey(e.Conversation)
			return e.Kind == phone.EventAvatar && ok
		})
		r = d.request(ctx, wc.NewGroupUpdate("", "", wc.GroupUpdate{ID: res.Group.ID, GroupCreate: wc.GroupCreate{Members: []string{b.ID()}, Name: "pics", Avatar: []byte{}}}))
		if !r.Ack.Success {
			t.Fatalf("remove photo: %+v", r.Ack)
		}
		if av := avatar(group, true, 0); av.Image != nil {
			t.Fatal("group photo after removal")
		}
	})
	run("profile picture removed from the desktop", func(t *testing.T) {
		r := d.request(ctx, wc.NewProfileUpdate("", wc.ProfileUpdate{RemoveAvatar: true}))
		if res, err := wc.DecodeResult(r); err != nil || !res.Success {
			t.Fatalf("reply %+v: %v", res, err)
		}
		pr, err := wc.DecodeProfile(d.request(ctx, wc.NewRequest(wc.SubProfile, "")))
		if err != nil || pr.Avatar != nil {
			t.Fatalf("profile after removal %+v: %v", pr, err)
		}
		phonetest.Wait(t, bev, "Alice's picture removed at Bob", func(e phone.Event) bool {
			return e.Kind == phone.EventAvatar && e.Conversation == store.ContactKey(a.ID())
		})
	})
}
