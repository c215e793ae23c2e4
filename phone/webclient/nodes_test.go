package webclient_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/backendtest"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/webclient"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
	"github.com/kurier/kurier/protocol/saltyrtc"
	"github.com/kurier/kurier/rtclink"
)

// keySelecting returns a fresh key pair whose public key selects node i of n
// (its first byte modulo n is i).
func keySelecting(t *testing.T, i, n int) cryptobox.KeyPair {
	t.Helper()
	for range 1000 {
		if k := newKey(t); provisioning.NodeIndex(k.Public, n) == i {
			return k
		}
	}
	t.Fatalf("no key selects node %d of %d", i, n)
	return cryptobox.KeyPair{}
}

// initiatorAt is the desktop's SaltyRTC config at one signaling node.
func initiatorAt(t *testing.T, node provisioning.SignalingNode, key cryptobox.KeyPair) rtclink.Config {
	t.Helper()
	skey, err := cryptobox.ParsePublicKeyHex(node.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return rtclink.Config{Role: saltyrtc.RoleInitiator, ServerURL: node.URL, ServerKey: skey,
		TLSCertificateSHA256: node.TLSCertificateSHA256, PermanentKey: key}
}

// qrAt is the pairing code naming node.
func qrAt(t *testing.T, node provisioning.SignalingNode, key cryptobox.PublicKey, tok cryptobox.SymmetricKey) string {
	t.Helper()
	return qrFor(t, &provisioning.Signaling{URL: node.URL, PublicKey: node.PublicKey}, key, tok, true, 0)
}

// TestSignalingNodes: with three real signaling nodes in backend.json, the
// desktop (initiator) and the phone (responder) meet on the node the
// desktop's key selects, for keys that select each node, when pairing and on
// a trusted-key reconnect; a phone sent to another node does not meet it
// (the nodes do not relay to each other), and a code naming a server that is
// not one of the nodes is refused.
func TestSignalingNodes(t *testing.T) {
	const n = 3
	bj, sig, nodes := backendtest.StartCluster(t, n)
	list := sig.NodeList()
	if len(list) != n {
		t.Fatalf("backend.json lists %d nodes", len(list))
	}
	a, _ := phonetest.Phone(t, bj, "Alice")
	srv := serveDesktops(t, a, webclient.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*phonetest.Timeout)
	defer cancel()

	// Pairing: one desktop per node, each with a key that selects it.
	type paired struct {
		key  cryptobox.KeyPair
		d    *desktop
		sess *webclient.Session
	}
	var desktops []paired
	for i := range n {
		key := keySelecting(t, i, n)
		node := sig.NodeFor(key.Public)
		if node != list[i] {
			t.Fatalf("key %02x… selects %s, want node %d", key.Public[0], node.URL, i)
		}
		cfg := initiatorAt(t, node, key)
		tok := newToken(t)
		cfg.AuthToken = &tok
		before := backendtest.RelayedBy(nodes)
		d, sess := dial(ctx, t, cfg, func() (*webclient.Session, error) { return srv.Pair(ctx, qrAt(t, node, key.Public, tok)) })
		d.handshake(ctx)
		backendtest.OnlyNodeRelayed(t, nodes, before, i)
		if i > 0 {
			channelEnds(ctx, t, desktops[i-1].d, "session replaced by the next pairing")
		}
		desktops = append(desktops, paired{key, d, sess})
	}

	// Trusted-key reconnect (no code): the phone finds node 1 from the
	// stored initiator key, where that desktop waits.
	back := desktops[1]
	rcfg := initiatorAt(t, sig.NodeFor(back.key.Public), back.key)
	rcfg.TrustedPeerKey = back.d.phone
	before := backendtest.RelayedBy(nodes)
	d2, _ := dial(ctx, t, rcfg, func() (*webclient.Session, error) { return srv.Reconnect(ctx, back.sess.ID()) })
	d2.handshake(ctx)
	backendtest.OnlyNodeRelayed(t, nodes, before, 1)
	channelEnds(ctx, t, desktops[n-1].d, "session replaced by the reconnect")

	// A phone sent to another node than the key selects does not meet the
	// desktop waiting on the right one: there is no relay between nodes.
	key := keySelecting(t, 0, n)
	cfg := initiatorAt(t, list[0], key)
	tok := newToken(t)
	cfg.AuthToken = &tok
	cfg.Tasks = []rtclink.Task{rtclink.NewWebRTCTask(rtclink.WebRTCConfig{})}
	before = backendtest.RelayedBy(nodes)
	short, stop := context.WithTimeout(ctx, 3*time.Second)
	defer stop()
	desktopErr := make(chan error, 1)
	go func() {
		rs, err := rtclink.Dial(short, cfg)
		if err == nil {
			_ = rs.Close(saltyrtc.CloseNormal)
		}
		desktopErr <- err
	}()
	if sess, err := srv.Pair(short, qrAt(t, list[1], key.Public, tok)); err == nil {
		t.Fatalf("the phone on node 1 met a desktop waiting on node 0 (session %s)", sess.ID())
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("phone on the wrong node: %v (want it to wait in vain)", err)
	}
	if err := <-desktopErr; err == nil {
		t.Fatal("the desktop on node 0 met a phone on node 1")
	}
	backendtest.OnlyNodeRelayed(t, nodes, before, -1)

	// A code naming a signaling server that is not one of the nodes — here
	// the backend's single url, which clients that know the nodes ignore —
	// or a node with another server key is refused before anything is dialled.
	if _, ok := sig.Lookup(hostPort(t, sig.URL)); ok {
		t.Fatal("the backend's own signaling url is one of the nodes")
	}
	if _, err := srv.Pair(ctx, qrFor(t, sig, key.Public, tok, true, 0)); !errors.Is(err, webclient.ErrWrongServer) {
		t.Fatalf("code for a server that is not a node: %v", err)
	}
	other := list[2]
	other.PublicKey = newKey(t).Public.String()
	if _, err := srv.Pair(ctx, qrAt(t, other, key.Public, tok)); !errors.Is(err, webclient.ErrWrongServer) {
		t.Fatalf("code with another server key: %v", err)
	}
}

// hostPort is the host and port of a signaling URL.
func hostPort(t *testing.T, raw string) (string, uint16) {
	t.Helper()
	h, p, err := provisioning.SignalingNode{URL: raw}.HostPort()
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}
