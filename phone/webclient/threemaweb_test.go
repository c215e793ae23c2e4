package webclient_test

import (
	"context"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/e2e"
	wc "github.com/kurier/kurier/protocol/webclient"
	"github.com/kurier/kurier/rtclink"
)

// connectedFor is how long the Threema-Web-shaped client stays connected
// (issue 11: 60 s; Threema Web failed the session about 10 s after an
// update/connectionAck from the phone).
const connectedFor = 60 * time.Second

// TestThreemaWebShapedClient pairs a client that sends exactly what
// threema-web 2.6 sends on the WebRTC task (protocols.md §2.3a,
// docs/phone.md "What the real clients send") with the phone: no acks, no
// id on the start-up requests (their replies are matched by kind), an id
// and args.temporaryId on the others, browserVersion as a number, nulls and
// fields the phone does not know. It finishes start-up, lists the
// conversations, sends and receives a text and a quote, and stays connected
// for connectedFor without the phone ever sending a connectionAck.
func TestThreemaWebShapedClient(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	b, bev := phonetest.Phone(t, bj, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), connectedFor+3*phonetest.Timeout)
	defer cancel()
	phonetest.Befriend(t, a, b)
	if _, err := b.SendText(ctx, a.ID(), "hello before pairing"); err != nil {
		t.Fatal(err)
	}
	srv := serveDesktops(t, a, webclient.Config{AckDelay: time.Second})
	d, _, _ := pairLike(ctx, t, bj, srv, nil, func(d *desktop) { d.noAcks = true })
	noAck := func(m wc.WireMessage) {
		if m.SubType == wc.SubConnectionAck {
			t.Fatalf("the phone sent %s/connectionAck to a client without acks", m.Type)
		}
	}
	byKind := func(tp wc.Type, st wc.SubType) func(wc.WireMessage) bool {
		return func(m wc.WireMessage) bool { noAck(m); return m.Type == tp && m.SubType == st }
	}
	raw := func(m wc.WireMessage) { d.send(ctx, m) }

	// Start-up, as threema-web sends it on the WebRTC task: no ids.
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubClientInfo, Data: map[string]any{
		"userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0", "browserName": "chrome", "browserVersion": int64(131)}})
	ci, err := wc.DecodeClientInfo(d.next(ctx, "clientInfo", byKind(wc.TypeResponse, wc.SubClientInfo)))
	if err != nil || ci.OS == "" || !ci.Capabilities.QuotesV2 {
		t.Fatalf("clientInfo %+v: %v", ci, err)
	}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubReceivers})
	rs, err := wc.DecodeReceivers(d.next(ctx, "receivers", byKind(wc.TypeResponse, wc.SubReceivers)))
	if err != nil || len(rs.Contacts) != 1 || rs.Contacts[0].DisplayName != "~Bob" {
		t.Fatalf("receivers %+v: %v", rs, err)
	}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubConversations, Args: map[string]any{"maxSize": int64(48)}})
	convs, err := wc.DecodeConversations(d.next(ctx, "conversations", byKind(wc.TypeResponse, wc.SubConversations)))
	if err != nil || len(convs) != 1 || convs[0].LatestMessage == nil || convs[0].LatestMessage.Body != "hello before pairing" {
		t.Fatalf("conversations %+v: %v", convs, err)
	}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubProfile})
	if p, err := wc.DecodeProfile(d.next(ctx, "profile", byKind(wc.TypeResponse, wc.SubProfile))); err != nil || p.Identity != a.ID() {
		t.Fatalf("profile %+v: %v", p, err)
	}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubBatteryStatus})
	d.next(ctx, "batteryStatus", byKind(wc.TypeUpdate, wc.SubBatteryStatus))
	bobR := map[string]any{"type": "contact", "id": b.ID()}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubMessages, Args: bobR})
	page, err := wc.DecodeMessagesResponse(d.next(ctx, "messages", byKind(wc.TypeResponse, wc.SubMessages)))
	if err != nil || len(page.Messages) != 1 {
		t.Fatalf("messages %+v: %v", page, err)
	}
	hello := page.Messages[0]
	// Threema Web sends its active conversation with an id it never sees
	// answered, and a field this phone does not know.
	raw(wc.WireMessage{Type: wc.TypeUpdate, SubType: wc.SubActiveConversation, ID: "act001",
		Args: map[string]any{"type": "contact", "id": b.ID(), "temporaryId": "act001", "futureField": []any{int64(1)}}})

	// A text, with id and args.temporaryId, answered through temporaryId.
	create := func(id string, data map[string]any) wc.MessageCreated {
		t.Helper()
		raw(wc.WireMessage{Type: wc.TypeCreate, SubType: wc.SubTextMessage, ID: id,
			Args: map[string]any{"type": "contact", "id": b.ID(), "temporaryId": id}, Data: data})
		r := d.next(ctx, "created "+id, func(m wc.WireMessage) bool {
			noAck(m)
			return m.SubType == wc.SubTextMessage && m.Args["temporaryId"] == id
		})
		created, err := wc.DecodeMessageCreated(r)
		if err != nil || !created.Result.Success || r.Ack == nil || r.Ack.ID != id {
			t.Fatalf("created %+v (ack %+v): %v", created, r.Ack, err)
		}
		return created
	}
	create("txt001", map[string]any{"text": "hi from the web", "quote": nil})
	bobGot := func(text string) store.Message {
		t.Helper()
		e := phonetest.Wait(t, bev, "Bob gets "+text, func(e phone.Event) bool {
			if e.Kind != phone.EventMessage || e.Message == nil {
				return false
			}
			_, body, _ := e2e.ParseQuote(e.Message.Body)
			return body == text
		})
		return *e.Message
	}
	bobGot("hi from the web")

	// A quote of Bob's message, as threema-web sends it (messageId is the
	// phone's own id of the quoted message).
	create("quo001", map[string]any{"text": "I saw that", "quote": map[string]any{
		"identity": b.ID(), "text": "hello before pairing", "messageId": hello.ID}})
	got := bobGot("I saw that")
	quoted, _, ok := e2e.ParseQuote(got.Body)
	orig, err := b.Store().MessageInConversation(ctx, got.Conversation, quoted)
	if !ok || err != nil || orig.Body != "hello before pairing" {
		t.Fatalf("Bob's phone: the quote names %x (%v): %+v, %v", quoted, ok, orig, err)
	}

	// Bob answers with a quote of the web's text; the web sees both.
	mine, err := b.Store().Messages(ctx, got.Conversation, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var webText store.Message
	for _, m := range mine {
		if m.Body == "hi from the web" {
			webText = m
		}
	}
	if _, err := b.SendText(ctx, a.ID(), e2e.QuoteText(webText.MessageID, "Bob quotes the web")); err != nil {
		t.Fatal(err)
	}
	pushed := d.next(ctx, "Bob's quoted reply", func(m wc.WireMessage) bool {
		noAck(m)
		if m.Type != wc.TypeUpdate || m.SubType != wc.SubMessages {
			return false
		}
		u, err := wc.DecodeMessagesUpdate(m)
		return err == nil && len(u.Messages) == 1 && u.Messages[0].Body == "Bob quotes the web"
	})
	u, _ := wc.DecodeMessagesUpdate(pushed)
	if q := u.Messages[0].Quote; q == nil || q.Identity != a.ID() || q.Text != "hi from the web" {
		t.Fatalf("quote on the web: %+v", q)
	}

	// Requests threema-web sends with id and temporaryId are answered the
	// way the Android app answers them: response/contactDetail, and
	// response/confirmAction for a pin, followed by the pinned conversation.
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubContactDetail, ID: "det001",
		Args: map[string]any{"identity": b.ID(), "temporaryId": "det001"}})
	det := d.next(ctx, "contactDetail", byKind(wc.TypeResponse, wc.SubContactDetail))
	if res, err := wc.ResultOf(det); err != nil || !res.Success || det.Args["temporaryId"] != "det001" {
		t.Fatalf("contactDetail %+v: %v", res, err)
	}
	raw(wc.NewConversationModify("pin001", "pin001", wc.ConversationModify{Receiver: wc.Receiver{Type: wc.ReceiverContact, ID: b.ID()}, IsStarred: ptrTo(true)}))
	pin := d.next(ctx, "pin answer", byKind(wc.TypeResponse, wc.SubConfirmAction))
	if res, err := wc.DecodeResult(pin); err != nil || !res.Success || pin.Args["temporaryId"] != "pin001" {
		t.Fatalf("pin answer %+v: %v", res, err)
	}
	d.next(ctx, "the pinned conversation", func(m wc.WireMessage) bool {
		u, err := wc.DecodeConversationUpdate(m)
		return err == nil && u.Conversation.IsStarred && u.Conversation.Receiver.ID == b.ID()
	})
	if cs, _ := a.Store().Conversations(ctx); len(cs) == 0 || !cs[0].Starred {
		t.Fatalf("the phone did not keep the pin: %+v", cs)
	}

	// Connected for a minute with no connectionAck from the phone (its ack
	// delay is 1 s here, so it would have sent many), then still answering.
	deadline := time.Now().Add(connectedFor)
	for time.Now().Before(deadline) {
		rctx, rcancel := context.WithDeadline(ctx, deadline)
		b, err := d.ch.Receive(rctx)
		rcancel()
		if err != nil {
			if time.Now().Before(deadline) {
				t.Fatalf("the link ended after %s: %v", connectedFor-time.Until(deadline), err)
			}
			break
		}
		m, err := wc.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		noAck(m)
	}
	raw(wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubProfile})
	if _, err := wc.DecodeProfile(d.next(ctx, "profile after a minute", byKind(wc.TypeResponse, wc.SubProfile))); err != nil {
		t.Fatal(err)
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestLegacyV0Task: an initiator that offers only the legacy WebRTC task v0
// (max_packet_size 16 KiB, as Threema Web does in Firefox) pairs with the
// phone, which offers v1 and v0 as the Android app does.
func TestLegacyV0Task(t *testing.T) {
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "Alice")
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	srv := serveDesktops(t, a, webclient.Config{})
	v0 := func() []rtclink.Task {
		return []rtclink.Task{rtclink.NewWebRTCTaskV0(rtclink.WebRTCConfig{MaxChunkSize: 16384})}
	}
	d, _, _ := pairLike(ctx, t, bj, srv, v0, func(d *desktop) { d.noAcks = true })
	if name := d.rs.Task().Name(); name != rtclink.WebRTCTaskNameV0 {
		t.Fatalf("task %s", name)
	}
	d.send(ctx, wc.WireMessage{Type: wc.TypeRequest, SubType: wc.SubProfile})
	if p, err := wc.DecodeProfile(d.next(ctx, "profile", func(m wc.WireMessage) bool { return m.SubType == wc.SubProfile })); err != nil || p.Identity != a.ID() {
		t.Fatalf("profile over v0: %+v, %v", p, err)
	}
}
