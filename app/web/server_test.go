package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"

	"github.com/kurier/kurier/app"
)

// startServer runs a web mode server with the real app services on
// 127.0.0.1:0 and stops it when the test ends.
func startServer(t testing.TB) *Server {
	t.Helper()
	return startServerWith(t, Config{})
}

// startServerWith is startServer with cfg's limits.
func startServerWith(t testing.TB, cfg Config) *Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	svcs, err := app.Start(ctx, app.Config{DataDir: t.TempDir(), Mode: app.ModeWeb})
	if err != nil {
		t.Fatal(err)
	}
	assets := fstest.MapFS{
		"index.html":    {Data: []byte("<!doctype html><title>Kurier</title>")},
		"assets/app.js": {Data: []byte("console.log('kurier')")},
	}
	cfg.Addr, cfg.Assets, cfg.Services, cfg.Hub = "127.0.0.1:0", assets, svcs.Bindings(), svcs.Hub
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		_ = svcs.Close()
	})
	return srv
}

func dial(t *testing.T, srv *Server) *websocket.Conn {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/bridge?token="+srv.Token(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	return c
}

type reply struct {
	ID     uint64          `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
	Code   string          `json:"code"`
	Event  string          `json:"event"`
	Data   json.RawMessage `json:"data"`
}

func call(t *testing.T, c *websocket.Conn, id uint64, method string, args ...any) reply {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	if err := c.WriteJSON(map[string]any{"id": id, "method": method, "args": args}); err != nil {
		t.Fatal(err)
	}
	for {
		var r reply
		if err := c.ReadJSON(&r); err != nil {
			t.Fatalf("reading reply to %s: %v", method, err)
		}
		if r.ID == id {
			return r
		}
	}
}

func TestServesBundle(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for path, want := range map[string]string{"/": "<title>Kurier</title>", "/assets/app.js": "kurier"} {
		resp, err := http.Get("http://" + srv.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %q", path, resp.StatusCode, body)
		}
	}
}

func TestNewRejectsBundleWithoutIndex(t *testing.T) {
	t.Parallel()
	_, err := New(Config{Addr: "127.0.0.1:0", Assets: fstest.MapFS{}, Hub: app.NewHub()})
	if err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Fatalf("New without index.html: %v", err)
	}
}

func TestBridgeCallsAndEvents(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	a, b := dial(t, srv), dial(t, srv)

	r := call(t, a, 1, "SettingsService.Get")
	var s app.Settings
	if r.Error != "" || json.Unmarshal(r.Result, &s) != nil || s != app.DefaultSettings() {
		t.Fatalf("Get: %+v", r)
	}
	// b must be subscribed before a changes anything; a round trip on b proves it.
	call(t, b, 1, "LinkService.Status")

	r = call(t, a, 2, "SettingsService.SetTheme", "dark")
	if r.Error != "" {
		t.Fatalf("SetTheme: %s", r.Error)
	}
	var ev reply
	if err := b.ReadJSON(&ev); err != nil {
		t.Fatal(err)
	}
	if ev.Event != app.EventSettingsChanged || json.Unmarshal(ev.Data, &s) != nil || s.Theme != "dark" {
		t.Fatalf("event on second tab: %+v", ev)
	}

	if r = call(t, a, 3, "SettingsService.SetTheme", "mauve"); !strings.Contains(r.Error, "invalid setting") || r.Code != "invalidInput" {
		t.Fatalf("invalid theme: %+v", r)
	}
	if r = call(t, a, 4, "SettingsService.Drop"); !strings.Contains(r.Error, "unknown method") || r.Code != "unknown" {
		t.Fatalf("unknown method: %+v", r)
	}
	if r = call(t, a, 5, "SettingsService.SetTheme"); !strings.Contains(r.Error, "bad arguments") {
		t.Fatalf("missing argument: %+v", r)
	}
}

func TestBadInputClosesOnlyThatTab(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	srv := startServerWith(t, Config{MaxRequestBytes: limit})
	good := dial(t, srv)
	for name, msg := range map[string][]byte{
		"garbage":   []byte("\x00\x01 not json"),
		"no id":     []byte(`{"method":"SettingsService.Get","args":[]}`),
		"oversized": []byte(`{"id":1,"method":"` + strings.Repeat("x", limit) + `"}`),
	} {
		bad := dial(t, srv)
		if err := bad.WriteMessage(websocket.TextMessage, msg); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var r reply
		if err := bad.ReadJSON(&r); err == nil {
			t.Errorf("%s: connection still answers: %+v", name, r)
		}
		if r := call(t, good, 1, "AboutService.Info"); r.Error != "" {
			t.Fatalf("%s: good tab broken: %+v", name, r)
		}
	}
}

func TestManyTabsConcurrently(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			c, _, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/bridge?token="+srv.Token(), nil)
			if err != nil {
				errs <- err
				return
			}
			defer func() { _ = c.Close() }()
			theme := app.Themes()[i%3]
			if err := c.WriteJSON(map[string]any{"id": 1, "method": "SettingsService.SetTheme", "args": []string{theme}}); err != nil {
				errs <- err
				return
			}
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				var r reply
				if err := c.ReadJSON(&r); err != nil {
					errs <- err
					return
				}
				if r.ID == 1 {
					if r.Error != "" {
						errs <- errors.New(r.Error)
					}
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestRefusesCrossOriginBridge(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	h := http.Header{"Origin": {"http://evil.example"}}
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/bridge?token="+srv.Token(), h)
	if err == nil {
		t.Fatal("cross-origin bridge connection accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin: %v, %v", resp, err)
	}
}

func TestRefusesBridgeWithoutToken(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for _, q := range []string{"", "?token=", "?token=" + strings.Repeat("0", len(srv.Token()))} {
		_, resp, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/bridge"+q, nil)
		if err == nil {
			t.Fatalf("bridge %q accepted", q)
		}
		if resp == nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bridge %q: %v, %v", q, resp, err)
		}
	}
	if !strings.Contains(srv.URL(), "?token="+srv.Token()) || len(srv.Token()) != 32 {
		t.Fatalf("URL %q, token %q", srv.URL(), srv.Token())
	}
}

// TestLargeFileCallFits: a file of several megabytes (base64) is one bridge
// call; without a phone it is answered with an error, and the tab stays.
func TestLargeFileCallFits(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := dial(t, srv)
	data := strings.Repeat("QUJD", 5<<20/4*4/3) // about 6.7 MB of base64
	r := call(t, c, 1, "ChatService.SendFile", map[string]string{"type": "contact", "id": "ECHOECHO"},
		map[string]any{"name": "big.bin", "mime": "application/octet-stream", "data": data})
	if r.ID != 1 || !strings.Contains(r.Error, "not connected") || r.Code != "notConnected" {
		t.Fatalf("reply %d %q", r.ID, r.Error)
	}
	if r := call(t, c, 2, "AboutService.Info"); r.Error != "" {
		t.Fatalf("the tab did not survive: %q", r.Error)
	}
}
