package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/app"
	"github.com/kurier/kurier/backend/backendtest"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/qr"
)

// codeSelecting makes new pairing codes until the desktop's new key selects
// node i; every code on the way must name the node its key selects, with
// that node's server key.
func codeSelecting(t *testing.T, d *app.Services, sig *provisioning.Signaling, i int, opts app.PairingOptions) (string, qr.Payload) {
	t.Helper()
	n := len(sig.NodeList())
	for range 200 {
		st, err := d.Link.StartPairing(opts)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := qr.Decode(st.PairingCode)
		if err != nil {
			t.Fatal(err)
		}
		node := sig.NodeFor(pl.InitiatorKey)
		host, port, err := node.HostPort()
		if err != nil {
			t.Fatal(err)
		}
		skey, _ := cryptobox.ParsePublicKeyHex(node.PublicKey)
		if pl.Host != host || pl.Port != port || !pl.ServerKey.Equal(skey) {
			t.Fatalf("key %02x…: the code names %s:%d, the key selects %s", pl.InitiatorKey[0], pl.Host, pl.Port, node.URL)
		}
		if provisioning.NodeIndex(pl.InitiatorKey, n) == i {
			return st.PairingCode, pl
		}
	}
	t.Fatalf("no new key selected node %d of %d", i, n)
	return "", qr.Payload{}
}

// TestDesktopOnSignalingNodes: with three real signaling nodes in
// backend.json, the desktop's pairing code names, and the desktop waits
// at, the node its permanent key selects; the real phone meets it there for
// keys that select each node, and again after a restart on the trusted-key
// reconnect. The same code moved to another node does not meet.
func TestDesktopOnSignalingNodes(t *testing.T) {
	const n = 3
	bj, sig, nodes := backendtest.StartCluster(t, n)
	w := &world{t: t, sig: sig, backendFile: bj}
	w.alice, _ = phonetest.Phone(t, bj, "Alice")
	w.startDesktops()
	t.Cleanup(w.stopDesktops)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	dir := t.TempDir()
	d, ev := startDesktop(t, dir, sig)

	// A code for node 0 moved to node 1: the phone waits there in vain,
	// the desktop on node 0 stays unpaired.
	code, pl := codeSelecting(t, d, sig, 0, app.PairingOptions{})
	wrong := pl
	var err error
	if wrong.Host, wrong.Port, err = sig.NodeList()[1].HostPort(); err != nil {
		t.Fatal(err)
	}
	moved, err := wrong.Encode()
	if err != nil {
		t.Fatal(err)
	}
	before := backendtest.RelayedBy(nodes)
	short, stop := context.WithTimeout(ctx, 3*time.Second)
	_, err = w.desktops.Pair(short, moved)
	stop()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("phone sent to node 1 for a desktop on node 0: %v (want it to wait in vain)", err)
	}
	if st, _ := d.Link.Status(); st.State != app.LinkUnpaired || st.PairingCode != code {
		t.Fatalf("desktop after the phone went elsewhere: %+v", st)
	}
	backendtest.OnlyNodeRelayed(t, nodes, before, -1)

	// The unchanged code meets on node 0; keys for nodes 1 and 2 meet there.
	for i := range n {
		if i > 0 {
			code, _ = codeSelecting(t, d, sig, i, app.PairingOptions{})
		}
		mark, before := ev.mark(), backendtest.RelayedBy(nodes)
		if _, err := w.desktops.Pair(ctx, code); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		ev.waitFrom(t, mark, "connected", linkState(app.LinkConnected))
		backendtest.OnlyNodeRelayed(t, nodes, before, i)
	}

	// Remembered on node 2, restarted and unlocked: desktop and phone both
	// find node 2 again from the desktop's key, without a code.
	const password = "correct horse battery"
	code, _ = codeSelecting(t, d, sig, 2, app.PairingOptions{Remember: true, Password: password})
	mark := ev.mark()
	if _, err := w.desktops.Pair(ctx, code); err != nil {
		t.Fatal(err)
	}
	ev.waitFrom(t, mark, "connected", linkState(app.LinkConnected))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	before = backendtest.RelayedBy(nodes)
	d2, ev2 := startDesktop(t, dir, sig)
	if _, err := d2.Link.Unlock(password); err != nil {
		t.Fatal(err)
	}
	ev2.wait(t, "trusted reconnect", linkState(app.LinkConnected))
	backendtest.OnlyNodeRelayed(t, nodes, before, 2)
}
