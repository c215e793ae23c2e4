package control

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

const token = "0123456789abcdef0123456789abcdef"

// api serves the control API of p on loopback until the end of the test.
func api(t *testing.T, p *phone.Phone) string {
	t.Helper()
	s, err := New(p, token, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func call(t *testing.T, method, url string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
	return resp.StatusCode
}

func TestControlAPI(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "A")
	b, bev := phonetest.Phone(t, bj, "B")
	url := api(t, a)

	// No token, wrong token.
	resp, err := http.Get(url + "/v1/identity")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", resp.StatusCode)
	}

	var id IdentityResponse
	if code := call(t, "GET", url+"/v1/identity", nil, &id); code != 200 || id.ID != a.ID() || id.Fingerprint != phone.Fingerprint(a.PublicKey()) {
		t.Fatalf("%d %+v", code, id)
	}
	var c Contact
	if code := call(t, "POST", url+"/v1/contacts", ContactRequest{ID: b.ID()}, &c); code != http.StatusCreated || c.ID != b.ID() || c.Verification != 1 {
		t.Fatalf("%d %+v", code, c)
	}
	var e ErrorResponse
	if code := call(t, "POST", url+"/v1/contacts", map[string]any{"id": b.ID(), "x": 1}, &e); code != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", code)
	}
	if code := call(t, "POST", url+"/v1/contacts", ContactRequest{ID: "ZZZZZZZZ"}, &e); code != http.StatusNotFound {
		t.Fatalf("unknown identity: %d %+v", code, e)
	}
	var cs []Contact
	if call(t, "GET", url+"/v1/contacts", nil, &cs); len(cs) != 1 {
		t.Fatalf("%+v", cs)
	}

	// Events: open the stream, then let B write to A.
	req, _ := http.NewRequest("GET", url+"/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	sresp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sresp.Body.Close() }()
	lines := bufio.NewScanner(sresp.Body)
	lines.Scan() // the opening comment

	var m Message
	if code := call(t, "POST", url+"/v1/messages", MessageRequest{To: b.ID(), Text: "via api"}, &m); code != http.StatusAccepted || m.State != "sending" {
		t.Fatalf("%d %+v", code, m)
	}
	phonetest.Wait(t, bev, "message", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Body == "via api" })
	file := &FileRequest{Name: "x.txt", MIME: "text/plain", Data: base64.StdEncoding.EncodeToString([]byte("file via api"))}
	if code := call(t, "POST", url+"/v1/messages", MessageRequest{To: b.ID(), File: file}, &m); code != http.StatusAccepted {
		t.Fatalf("file: %d", code)
	}
	fe := phonetest.Wait(t, bev, "file", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Message.Type == 0x17 })
	if data, err := b.DownloadFile(ctx, *fe.Message); err != nil || string(data) != "file via api" {
		t.Fatalf("%q %v", data, err)
	}
	// A voice message: audio with its length goes out for inline rendering
	// with "x.d", and Bob's phone shows it as Threema Web's audio type.
	voice := &FileRequest{Name: "voice.ogg", MIME: "audio/ogg", Data: base64.StdEncoding.EncodeToString([]byte("OggS voice")), Duration: 2.4}
	if code := call(t, "POST", url+"/v1/messages", MessageRequest{To: b.ID(), File: voice}, &m); code != http.StatusAccepted {
		t.Fatalf("voice: %d", code)
	}
	ve := phonetest.Wait(t, bev, "voice", func(e phone.Event) bool {
		return e.Kind == phone.EventMessage && e.Message.Type == 0x17 && strings.Contains(e.Message.Extra, "audio/ogg")
	})
	if fi, err := phone.FileInfoOf(*ve.Message); err != nil || fi.Rendering != 1 || fi.Duration != 2.4 || fi.MIME != "audio/ogg" {
		t.Fatalf("voice message: %+v %v", fi, err)
	}
	if code := call(t, "POST", url+"/v1/messages", MessageRequest{To: b.ID(), File: &FileRequest{Name: "v", MIME: "audio/ogg", Data: voice.Data, Duration: -1}}, nil); code != http.StatusBadRequest {
		t.Fatalf("negative duration: %d", code)
	}
	if _, err := b.SendText(ctx, a.ID(), "to the api"); err != nil {
		t.Fatal(err)
	}
	found := false
	for !found && lines.Scan() {
		l := lines.Text()
		if data, ok := strings.CutPrefix(l, "data: "); ok {
			var ev phone.Event
			if err := json.Unmarshal([]byte(data), &ev); err != nil {
				t.Fatal(err)
			}
			found = ev.Kind == phone.EventMessage && ev.Message.Body == "to the api"
		}
	}
	if !found {
		t.Fatalf("event not streamed: %v", lines.Err())
	}

	var convs []Conversation
	if call(t, "GET", url+"/v1/conversations", nil, &convs); len(convs) != 1 || convs[0].ID != b.ID() || convs[0].Messages != 4 {
		t.Fatalf("%+v", convs)
	}
	var msgs []Message
	if call(t, "GET", url+"/v1/conversations/"+b.ID()+"/messages?limit=2", nil, &msgs); len(msgs) != 2 || msgs[1].Text != "to the api" {
		t.Fatalf("%+v", msgs)
	}

	var g Group
	if code := call(t, "POST", url+"/v1/groups", GroupRequest{Name: "api group", Members: []string{b.ID()}}, &g); code != http.StatusCreated {
		t.Fatalf("group: %d", code)
	}
	if code := call(t, "POST", url+"/v1/messages", MessageRequest{Group: &GroupRef{Creator: g.Creator, ID: g.ID}, Text: "group via api"}, &m); code != http.StatusAccepted {
		t.Fatalf("group message: %d", code)
	}
	phonetest.Wait(t, bev, "group message", func(e phone.Event) bool { return e.Kind == phone.EventMessage && e.Conversation == g.Conversation })
	var gs []Group
	if code := call(t, "GET", url+"/v1/groups", nil, &gs); code != http.StatusOK || len(gs) != 1 || gs[0].ID != g.ID ||
		gs[0].Name != "api group" || len(gs[0].Members) != 1 || gs[0].Members[0] != b.ID() || gs[0].Left {
		t.Fatalf("groups %d: %+v", code, gs)
	}
	if code := call(t, "POST", url+"/v1/groups", GroupRequest{Name: "no such member", Members: []string{"ZZZZZZZZ"}}, nil); code != http.StatusNotFound {
		t.Fatalf("group with an unknown member: %d", code)
	}
	// Reactions: B reacts to A's message through the phone, A through the API.
	if _, err := b.React(ctx, g.Conversation, mustHex(t, m.ID), "👍", false); err != nil {
		t.Fatal(err)
	}
	reactURL := url + "/v1/conversations/" + g.Conversation + "/messages/" + m.ID + "/reactions"
	for deadline := time.Now().Add(phonetest.Timeout); ; time.Sleep(20 * time.Millisecond) {
		var got Message
		if code := call(t, "POST", reactURL, ReactionRequest{Emoji: "🎉"}, &got); code != http.StatusOK {
			t.Fatalf("react: %d", code)
		}
		if len(got.Reactions) == 2 && got.Reactions[0].Identity == a.ID() && got.Reactions[0].Emoji == "🎉" && got.Reactions[1].Identity == b.ID() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reactions %+v", got.Reactions)
		}
	}
	phonetest.Wait(t, bev, "A's reaction", func(e phone.Event) bool { return e.Kind == phone.EventMessageReaction && e.Emoji == "🎉" })
	var got Message
	if code := call(t, "POST", reactURL, ReactionRequest{Emoji: "🎉", Withdraw: true}, &got); code != http.StatusOK || len(got.Reactions) != 1 {
		t.Fatalf("withdraw: %d %+v", code, got.Reactions)
	}
	if code := call(t, "POST", url+"/v1/conversations/"+b.ID()+"/messages/00000000000000ff/reactions", ReactionRequest{Emoji: "🎉"}, nil); code != http.StatusNotFound {
		t.Fatalf("unknown message: %d", code)
	}
	if code := call(t, "POST", reactURL, map[string]any{"emoji": "🎉", "x": 1}, nil); code != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", code)
	}
	if code := call(t, "POST", reactURL, ReactionRequest{Emoji: strings.Repeat("x", 65)}, nil); code != http.StatusBadRequest {
		t.Fatalf("long emoji: %d", code)
	}
	cancel() // closes the event stream; Serve must still stop cleanly
	time.Sleep(10 * time.Millisecond)
}

func mustHex(t *testing.T, s string) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDecodeMessageValidation(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"empty":      `{}`,
		"both":       `{"to":"ABCD1234","group":{"creator":"ABCD1234","id":"0000000000000001"},"text":"x"}`,
		"no content": `{"to":"ABCD1234"}`,
		"bad id":     `{"to":"abc","text":"x"}`,
		"bad group":  `{"group":{"creator":"ABCD1234","id":"xyz"},"text":"x"}`,
		"bad file":   `{"to":"ABCD1234","file":{"name":"f","mime":"m","data":"!!"}}`,
		"trailing":   `{"to":"ABCD1234","text":"x"} {}`,
		"unknown":    `{"to":"ABCD1234","text":"x","y":1}`,
	} {
		if _, _, err := decodeMessage([]byte(body)); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := decodeMessage([]byte(`{"to":"ABCD1234","text":"x"}`)); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeRequests(f *testing.F) {
	f.Add([]byte(`{"to":"ABCD1234","text":"x"}`))
	f.Add([]byte(`{"group":{"creator":"ABCD1234","id":"00000000000000ff"},"file":{"name":"a","mime":"b","data":"AAEC"}}`))
	f.Add([]byte(`{"name":"g","members":["ABCD1234"]}`))
	f.Add([]byte(`{"id":"ABCD1234"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if req, data, err := decodeMessage(b); err == nil {
			if (req.To == "") == (req.Group == nil) || (req.File != nil && len(data) == 0) {
				t.Fatalf("accepted an invalid message request: %+v", req)
			}
		} else if !errors.Is(err, ErrBadRequest) {
			t.Fatal(err)
		}
		if _, err := decodeContact(b); err != nil && !errors.Is(err, ErrBadRequest) {
			t.Fatal(err)
		}
		if _, err := decodeGroup(b); err != nil && !errors.Is(err, ErrBadRequest) {
			t.Fatal(err)
		}
	})
}
