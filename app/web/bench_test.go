package web

import (
	"encoding/json"
	"testing"

	"github.com/gorilla/websocket"
)

// BenchmarkBridgeRoundTrip measures one call from a browser tab to Go and
// back over the web-mode WebSocket (AboutService.Info, which does no I/O).
func BenchmarkBridgeRoundTrip(b *testing.B) {
	srv := startServer(b)
	c, _, err := websocket.DefaultDialer.Dial("ws://"+srv.Addr().String()+"/bridge?token="+srv.Token(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	b.ResetTimer()
	for i := range b.N {
		if err := c.WriteJSON(map[string]any{"id": i + 1, "method": "AboutService.Info", "args": []any{}}); err != nil {
			b.Fatal(err)
		}
		var r reply
		if err := c.ReadJSON(&r); err != nil || r.Error != "" {
			b.Fatalf("%v %s", err, r.Error)
		}
	}
}

// BenchmarkDispatcherCall measures the reflection dispatch alone.
func BenchmarkDispatcherCall(b *testing.B) {
	d, err := NewDispatcher([]any{&calculator{}})
	if err != nil {
		b.Fatal(err)
	}
	args := []json.RawMessage{json.RawMessage("2"), json.RawMessage("40")}
	b.ResetTimer()
	for range b.N {
		if _, err := d.Call("calculator.Add", args); err != nil {
			b.Fatal(err)
		}
	}
}
