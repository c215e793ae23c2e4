package window

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// WebKitGTK serves its remote inspector over HTTP and WebSocket when the
// process starts with WEBKIT_INSPECTOR_HTTP_SERVER=host:port: a page at /
// lists the inspectable targets (a link to /socket/CONNECTION/TARGET/WebPage
// each), and that WebSocket speaks the WebKit Inspector Protocol. The
// socket's own domain is Target: commands for the page go inside
// Target.sendMessageToTarget to the page target it announces with
// Target.targetCreated, and its answers come back as
// Target.dispatchMessageFromTarget.
//
// The tests use it to read the page (where an element is, what it shows);
// every input still goes through the X server to WebKitGTK (xdotool).

// inspectorEnv is WebKit's variable that turns its inspector server on.
const inspectorEnv = "WEBKIT_INSPECTOR_HTTP_SERVER"

// inspectorAddr returns a free loopback address for the inspector server.
func inspectorAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

var socketPath = regexp.MustCompile(`/socket/\d+/\d+/WebPage`)

// inspector is a connection to the window's page through WebKit's remote
// inspector. Its methods are safe for concurrent use.
type inspector struct {
	conn *websocket.Conn

	mu      sync.Mutex
	target  string // the page target's id, once announced
	next    int
	waiting map[int]chan innerReply
	err     error // why the reader stopped
	ready   chan struct{}
	once    sync.Once
}

type innerReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// dialInspector waits for the inspector at addr to list the window's page
// and connects to it.
func dialInspector(t testing.TB, a *app, addr string) *inspector {
	t.Helper()
	var path string
	for deadline := time.Now().Add(appearTimeout); path == ""; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the inspector at %s never listed the page (is %s honoured by this WebKitGTK?)\n%s", addr, inspectorEnv, a.logText())
		}
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		path = socketPath.FindString(string(body))
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+path, nil)
	if err != nil {
		t.Fatalf("connect to the inspector's %s: %v", path, err)
	}
	ins := &inspector{conn: conn, waiting: make(map[int]chan innerReply), ready: make(chan struct{})}
	go ins.read()
	t.Cleanup(func() { _ = conn.Close() })
	select {
	case <-ins.ready:
	case <-time.After(renderTimeout):
		t.Fatalf("the inspector announced no page target")
	}
	return ins
}

// read dispatches the socket's messages until it closes.
func (ins *inspector) read() {
	for {
		_, b, err := ins.conn.ReadMessage()
		if err != nil {
			ins.mu.Lock()
			ins.err = err
			for id, ch := range ins.waiting {
				close(ch)
				delete(ins.waiting, id)
			}
			ins.mu.Unlock()
			return
		}
		var m struct {
			ID    int `json:"id"`
			Error *struct {
				Message string `json:"message"`
			} `json:"error"`
			Method string `json:"method"`
			Params struct {
				TargetInfo struct {
					TargetID string `json:"targetId"`
					Type     string `json:"type"`
				} `json:"targetInfo"`
				NewTargetID string `json:"newTargetId"`
				Message     string `json:"message"`
			} `json:"params"`
		}
		if json.Unmarshal(b, &m) != nil {
			continue
		}
		switch m.Method {
		case "": // the socket's answer to Target.sendMessageToTarget: only a failure matters
			if m.Error != nil {
				ins.answer(m.ID, innerReply{Error: m.Error})
			}
		case "Target.targetCreated":
			if m.Params.TargetInfo.Type == "page" {
				ins.setTarget(m.Params.TargetInfo.TargetID)
			}
		case "Target.didCommitProvisionalTarget": // a navigation swapped the page's process
			ins.setTarget(m.Params.NewTargetID)
		case "Target.dispatchMessageFromTarget":
			var r struct {
				ID int `json:"id"`
				innerReply
			}
			if json.Unmarshal([]byte(m.Params.Message), &r) != nil || r.ID == 0 {
				continue // an event of the page
			}
			ins.answer(r.ID, r.innerReply)
		}
	}
}

// answer hands r to the call waiting for id, if any.
func (ins *inspector) answer(id int, r innerReply) {
	ins.mu.Lock()
	ch := ins.waiting[id]
	delete(ins.waiting, id)
	ins.mu.Unlock()
	if ch != nil {
		ch <- r
	}
}

func (ins *inspector) setTarget(id string) {
	if id == "" {
		return
	}
	ins.mu.Lock()
	ins.target = id
	ins.mu.Unlock()
	ins.once.Do(func() { close(ins.ready) })
}

// call sends one command to the page and returns its result.
func (ins *inspector) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	ch := make(chan innerReply, 1)
	ins.mu.Lock()
	if ins.err != nil {
		ins.mu.Unlock()
		return nil, fmt.Errorf("inspector: %w", ins.err)
	}
	ins.next++
	id := ins.next
	ins.waiting[id] = ch
	target := ins.target
	inner, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err == nil {
		// The outer command has the inner one's id: a failure to deliver
		// it answers the call too.
		err = ins.conn.WriteJSON(map[string]any{"id": id, "method": "Target.sendMessageToTarget",
			"params": map[string]any{"targetId": target, "message": string(inner)}})
	}
	if err != nil {
		delete(ins.waiting, id)
		ins.mu.Unlock()
		return nil, fmt.Errorf("inspector: send %s: %w", method, err)
	}
	ins.mu.Unlock()
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, errors.New("inspector: connection closed")
		}
		if r.Error != nil {
			return nil, fmt.Errorf("inspector: %s: %s", method, r.Error.Message)
		}
		return r.Result, nil
	case <-ctx.Done():
		ins.mu.Lock()
		delete(ins.waiting, id)
		ins.mu.Unlock()
		return nil, fmt.Errorf("inspector: %s: %w", method, ctx.Err())
	}
}

// eval evaluates js in the page, an expression or a block ({ … return v; })
// as the body of an arrow function, and decodes its value, which must
// survive JSON, into out (nil: ignored).
func (ins *inspector) eval(js string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := ins.call(ctx, "Runtime.evaluate", map[string]any{
		"expression":    "JSON.stringify((() => " + js + ")() ?? null)",
		"returnByValue": true,
	})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Value       any    `json:"value"`
			Description string `json:"description"`
		} `json:"result"`
		WasThrown bool `json:"wasThrown"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("inspector: evaluate: %w", err)
	}
	if r.WasThrown {
		return fmt.Errorf("inspector: %s threw %s", js, r.Result.Description)
	}
	s, ok := r.Result.Value.(string)
	if !ok {
		return fmt.Errorf("inspector: %s gave %v", js, r.Result.Value)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(s), out); err != nil {
		return fmt.Errorf("inspector: decode %s: %w", s, err)
	}
	return nil
}
