package chat

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/kurier/kurier/backend/chat/client"
	"github.com/kurier/kurier/protocol/csp"
)

func TestTwoClientsExchangeMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	waitSynced(t, ca)
	waitSynced(t, cb)
	for i := range uint64(20) {
		send(t, ca, envelope(alice.id, bob.id, 100+i, 0))
	}
	for i := range uint64(20) {
		env := receiveAck(t, cb)
		if env.Sender != alice.id || env.MessageID != 100+i {
			t.Fatalf("message %d: %x from %s", i, env.MessageID, env.Sender)
		}
	}
	send(t, cb, envelope(bob.id, alice.id, 7, csp.FlagPush))
	if env := receiveAck(t, ca); env.MessageID != 7 || env.Sender != bob.id || env.Flags != csp.FlagPush {
		t.Fatalf("reply %+v", env)
	}
	eventually(t, "acked messages deleted", func() bool { return w.depth(bob) == 0 && w.depth(alice) == 0 })
	st := w.srv.Stats()
	if st.MessagesAccepted != 21 || st.MessagesDelivered < 21 || st.ConnectedClients != 2 || w.srv.ConnectedCount() != 2 {
		t.Fatalf("stats %+v, connected %d", st, w.srv.ConnectedCount())
	}
}

func TestDeliveredEnvelopeIsTheSentOne(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	waitSynced(t, cb)
	env := envelope(alice.id, bob.id, 42, csp.FlagNoDeliveryReceipts)
	env.Nickname = "Alice"
	env.Metadata = []byte("metadata box")
	env.CreatedAt = 1_600_000_000
	send(t, ca, env)
	got := receive(t, cb)
	if got.Nickname != "Alice" || string(got.Metadata) != "metadata box" || got.CreatedAt != env.CreatedAt ||
		got.Nonce != env.Nonce || string(got.Box) != string(env.Box) || got.Flags != env.Flags {
		t.Fatalf("delivered %+v, sent %+v", got, env)
	}
}

func TestCreatedAtInTheFutureIsReplaced(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	waitSynced(t, cb)
	env := envelope(alice.id, bob.id, 1, 0)
	env.CreatedAt = uint32(time.Now().Add(time.Hour).Unix())
	send(t, ca, env)
	got := receive(t, cb)
	if d := int64(got.CreatedAt) - time.Now().Unix(); d > 5 || d < -5 {
		t.Fatalf("created-at off by %d s", d)
	}
}

func TestOfflineDeliveryInOrderOnLogin(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testOfflineDeliveryInOrderOnLogin)
}

func testOfflineDeliveryInOrderOnLogin(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, carol, bob := w.newUser(), w.newUser(), w.newUser()
	ca, cc := w.dial(alice), w.dial(carol)
	const n = 150 // more than one backlog page
	for i := range uint64(n) {
		send(t, ca, envelope(alice.id, bob.id, 1000+i, 0))
		if i%10 == 0 {
			send(t, cc, envelope(carol.id, bob.id, 5000+i, 0))
		}
	}
	want := n + n/10
	if d := w.depth(bob); d != want {
		t.Fatalf("queue depth %d, want %d", d, want)
	}
	cb := w.dial(bob)
	next := map[csp.ID]uint64{alice.id: 1000, carol.id: 5000}
	for range want {
		env := receiveAck(t, cb)
		if env.MessageID != next[env.Sender] {
			t.Fatalf("from %s: got %d, want %d", env.Sender, env.MessageID, next[env.Sender])
		}
		step := uint64(1)
		if env.Sender == carol.id {
			step = 10
		}
		next[env.Sender] += step
	}
	waitSynced(t, cb)
	eventually(t, "queue drained", func() bool { return w.depth(bob) == 0 })
	if st := w.srv.Stats(); st.QueueDepth != 0 {
		t.Fatalf("queue depth gauge %d", st.QueueDepth)
	}
}

func TestLiveMessagesDuringBacklogFlushKeepOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	for i := range uint64(300) {
		send(t, ca, envelope(alice.id, bob.id, i, 0))
	}
	// Keep sending while bob logs in and the backlog is flushed.
	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		for i := uint64(300); i < 600; i++ {
			if err := ca.Send(ctx, envelope(alice.id, bob.id, i, 0)); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	cb := w.dial(bob)
	for i := range uint64(600) {
		if env := receiveAck(t, cb); env.MessageID != i {
			t.Fatalf("message %d arrived as %d", i, env.MessageID)
		}
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	expectNothing(t, cb, 100*time.Millisecond)
}

func TestUnackedMessagesAreRedelivered(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testUnackedMessagesAreRedelivered)
}

func testUnackedMessagesAreRedelivered(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	for i := range uint64(3) {
		send(t, ca, envelope(alice.id, bob.id, i, 0))
	}
	cb := w.dial(bob)
	for i := range uint64(3) {
		if env := receive(t, cb); env.MessageID != i { // not acked
			t.Fatalf("got %d", env.MessageID)
		}
	}
	waitSynced(t, cb)
	_ = cb.Close()
	cb = w.dial(bob)
	for i := range uint64(3) {
		if env := receiveAck(t, cb); env.MessageID != i {
			t.Fatalf("redelivery: got %d, want %d", env.MessageID, i)
		}
	}
	waitSynced(t, cb)
	eventually(t, "acked messages deleted", func() bool { return w.depth(bob) == 0 })
	_ = cb.Close()
	cb = w.dial(bob)
	waitSynced(t, cb)
	expectNothing(t, cb, 100*time.Millisecond)
}

func TestSecondLoginTakesOver(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testSecondLoginTakesOver)
}

func testSecondLoginTakesOver(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	first := w.dial(bob)
	waitSynced(t, first)
	second := w.dial(bob)
	select {
	case <-first.Done():
	case <-time.After(testTimeout):
		t.Fatal("the first connection was not closed")
	}
	err := first.Err()
	var ce *client.CloseError
	if !errors.Is(err, client.ErrTakenOver) || !errors.As(err, &ce) || ce.CanReconnect {
		t.Fatalf("first connection ended with %v", err)
	}
	send(t, ca, envelope(alice.id, bob.id, 9, 0))
	if env := receiveAck(t, second); env.MessageID != 9 {
		t.Fatalf("got %d", env.MessageID)
	}
	eventually(t, "one connection for bob", func() bool { return w.srv.ConnectedCount() == 2 })
}

func TestNoQueuingMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	// Receiver offline: acked to the sender, then dropped.
	send(t, ca, envelope(alice.id, bob.id, 1, csp.FlagNoQueuing))
	if d := w.depth(bob); d != 0 {
		t.Fatalf("no-queuing message stored: depth %d", d)
	}
	cb := w.dial(bob)
	waitSynced(t, cb)
	expectNothing(t, cb, 100*time.Millisecond)
	// Receiver online: delivered, in order with queued messages.
	send(t, ca, envelope(alice.id, bob.id, 2, 0))
	send(t, ca, envelope(alice.id, bob.id, 3, csp.FlagNoQueuing))
	send(t, ca, envelope(alice.id, bob.id, 4, 0))
	for _, want := range []uint64{2, 3, 4} {
		if env := receiveAck(t, cb); env.MessageID != want {
			t.Fatalf("got %d, want %d", env.MessageID, want)
		}
	}
}

func TestNoAckMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca, cb := w.dial(alice), w.dial(bob)
	waitSynced(t, ca)
	waitSynced(t, cb)
	// Typing indicators are no-queuing and no-ack.
	send(t, ca, envelope(alice.id, bob.id, 1, csp.FlagNoQueuing|csp.FlagNoAck))
	if env := receive(t, cb); env.MessageID != 1 || !env.Flags.Has(csp.FlagNoAck) {
		t.Fatalf("got %+v", env)
	}
	// A no-ack message that is queued still arrives; the server ack is not sent.
	send(t, ca, envelope(alice.id, bob.id, 2, csp.FlagNoAck))
	if env := receiveAck(t, cb); env.MessageID != 2 {
		t.Fatalf("got %d", env.MessageID)
	}
	// The connection keeps working: no stray server ack confused it.
	send(t, ca, envelope(alice.id, bob.id, 3, 0))
	if env := receiveAck(t, cb); env.MessageID != 3 {
		t.Fatalf("got %d", env.MessageID)
	}
}

func TestShortLivedMessagesExpire(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testShortLivedMessagesExpire)
}

func testShortLivedMessagesExpire(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	send(t, ca, envelope(alice.id, bob.id, 1, csp.FlagShortLived))
	send(t, ca, envelope(alice.id, bob.id, 2, 0))
	w.clock.advance(DefaultShortLivedTTL + time.Second)
	if d := w.depth(bob); d != 1 {
		t.Fatalf("depth after 61 s: %d, want 1", d)
	}
	cb := w.dial(bob)
	if env := receiveAck(t, cb); env.MessageID != 2 {
		t.Fatalf("got %d, want the long-lived message", env.MessageID)
	}
	waitSynced(t, cb)
	expectNothing(t, cb, 50*time.Millisecond)
	n, err := w.srv.purgeExpired(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if st := w.srv.Stats(); st.MessagesExpired != 1 {
		t.Fatalf("expired counter %d", st.MessagesExpired)
	}
}

func TestShortLivedMessageDeliveredWithinItsLifetime(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	send(t, ca, envelope(alice.id, bob.id, 1, csp.FlagShortLived))
	w.clock.advance(30 * time.Second)
	cb := w.dial(bob)
	if env := receiveAck(t, cb); env.MessageID != 1 {
		t.Fatalf("got %d", env.MessageID)
	}
}

func TestRetentionPurgesUndeliveredMessages(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testRetentionPurgesUndeliveredMessages)
}

func testRetentionPurgesUndeliveredMessages(t *testing.T, queue func(*Config)) {
	w := newWorld(t, func(c *Config) { queue(c); c.Retention = time.Hour; c.PurgeInterval = 10 * time.Millisecond })
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	for i := range uint64(5) {
		send(t, ca, envelope(alice.id, bob.id, i, 0))
	}
	w.clock.advance(2 * time.Hour)
	eventually(t, "purge loop", func() bool { return w.srv.Stats().MessagesExpired == 5 })
	if st := w.srv.Stats(); st.QueueDepth != 0 {
		t.Fatalf("queue depth %d", st.QueueDepth)
	}
}

func TestDuplicatesAreAckedButStoredOnce(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testDuplicatesAreAckedButStoredOnce)
}

func testDuplicatesAreAckedButStoredOnce(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	env := envelope(alice.id, bob.id, 77, 0)
	send(t, ca, env)
	send(t, ca, env)
	send(t, ca, env)
	if d := w.depth(bob); d != 1 {
		t.Fatalf("depth %d, want 1", d)
	}
	cb := w.dial(bob)
	if got := receiveAck(t, cb); got.MessageID != 77 {
		t.Fatalf("got %d", got.MessageID)
	}
	waitSynced(t, cb)
	// Online: a duplicate of a delivered but unacknowledged message is not
	// delivered again either.
	send(t, ca, envelope(alice.id, bob.id, 78, 0))
	if got := receive(t, cb); got.MessageID != 78 {
		t.Fatalf("got %d", got.MessageID)
	}
	send(t, ca, envelope(alice.id, bob.id, 78, 0))
	expectNothing(t, cb, 100*time.Millisecond)
	if st := w.srv.Stats(); st.MessagesAccepted != 2 {
		t.Fatalf("accepted %d, want 2", st.MessagesAccepted)
	}
}

func TestAdminQueueDepthAndPurge(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testAdminQueueDepthAndPurge)
}

func testAdminQueueDepthAndPurge(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	for i := range uint64(4) {
		send(t, ca, envelope(alice.id, bob.id, i, 0))
	}
	ctx := context.Background()
	if n, err := w.srv.QueueDepth(ctx, bob.id.String()); err != nil || n != 4 {
		t.Fatalf("depth %d, %v", n, err)
	}
	if _, err := w.srv.QueueDepth(ctx, "nope"); !errors.Is(err, csp.ErrInvalidID) {
		t.Fatalf("bad identity: %v", err)
	}
	if n, err := w.srv.Purge(ctx, bob.id.String()); err != nil || n != 4 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if n, err := w.srv.QueueDepth(ctx, bob.id.String()); err != nil || n != 0 {
		t.Fatalf("depth after purge %d, %v", n, err)
	}
	if st := w.srv.Stats(); st.QueueDepth != 0 {
		t.Fatalf("gauge %d", st.QueueDepth)
	}
	cb := w.dial(bob)
	waitSynced(t, cb)
	expectNothing(t, cb, 50*time.Millisecond)
}

func TestRestartDeliversEveryAcknowledgedMessageExactlyOnce(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testRestartDeliversEveryAcknowledgedMessageExactlyOnce)
}

func testRestartDeliversEveryAcknowledgedMessageExactlyOnce(t *testing.T, queue func(*Config)) {
	w := newWorld(t, queue)
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	const n = 300
	// Concurrent senders so that the acks come from group commits.
	errc := make(chan error, 3)
	for g := range uint64(3) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			for i := range uint64(n / 3) {
				if err := ca.Send(ctx, envelope(alice.id, bob.id, g<<32|i, 0)); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range 3 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	w.restart()
	cb := w.dial(bob)
	seen := make(map[uint64]bool)
	next := [3]uint64{}
	for range n {
		env := receiveAck(t, cb)
		if seen[env.MessageID] {
			t.Fatalf("message %x delivered twice", env.MessageID)
		}
		seen[env.MessageID] = true
		g, i := env.MessageID>>32, env.MessageID&0xffffffff
		if i != next[g] {
			t.Fatalf("sender goroutine %d: got %d, want %d", g, i, next[g])
		}
		next[g]++
	}
	waitSynced(t, cb)
	expectNothing(t, cb, 100*time.Millisecond)
	_ = cb.Close()
	eventually(t, "acks committed", func() bool { return w.depth(bob) == 0 })
	w.restart()
	cb = w.dial(bob)
	waitSynced(t, cb)
	expectNothing(t, cb, 100*time.Millisecond)
}

func TestClientReconnectsAfterServerRestartAndResends(t *testing.T) {
	t.Parallel()
	var addr string
	w := newWorld(t, func(c *Config) {
		if addr != "" {
			c.Addr = addr
		}
	})
	addr = w.srv.Addr().String()
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	waitSynced(t, ca)
	w.stop()
	// Sends while the server is down wait for the reconnect.
	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		for i := range uint64(5) {
			if err := ca.Send(ctx, envelope(alice.id, bob.id, i, 0)); err != nil {
				errc <- err
				return
			}
		}
		errc <- nil
	}()
	time.Sleep(50 * time.Millisecond)
	w.start() // same address
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	cb := w.dial(bob)
	for i := range uint64(5) {
		if env := receiveAck(t, cb); env.MessageID != i {
			t.Fatalf("got %d, want %d", env.MessageID, i)
		}
	}
}

func TestEchoKeepsAnIdleConnectionAlive(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.IdleTimeout = 300 * time.Millisecond })
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice, func(c *client.Config) { c.EchoInterval = 50 * time.Millisecond; c.EchoTimeout = time.Second })
	cb := w.dial(bob)
	waitSynced(t, cb)
	time.Sleep(time.Second)
	// bob sent nothing: the server closed him for idling, and his client
	// reconnected; alice's echoes kept her first connection.
	send(t, ca, envelope(alice.id, bob.id, 1, 0))
	// Delivered, not acked: bob idles out every 300 ms, and an ack written
	// as his connection is closed fails (CI: "use of closed network
	// connection"); the message would only come again on the next one.
	if env := receive(t, cb); env.MessageID != 1 {
		t.Fatalf("got %d", env.MessageID)
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	for name, cfg := range map[string]Config{
		"no data dir":  {Key: w.key, Directory: w.dir},
		"no key":       {DataDir: t.TempDir(), Directory: w.dir},
		"no directory": {DataDir: t.TempDir(), Key: w.key},
		"key mismatch": {DataDir: t.TempDir(), Directory: w.dir, Key: w.key, Retention: 0,
			Addr: "127.0.0.1:0", MaxBatch: 1, Rand: nil, Now: nil, IdleTimeout: time.Second,
			HandshakeTimeout: time.Second, WriteTimeout: time.Second, ShortLivedTTL: time.Second,
			PurgeInterval: time.Second, CommitDelay: -1, MaxConnections: 1},
	} {
		if name == "key mismatch" {
			cfg.Key.Public[0] ^= 1
		}
		if _, err := New(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCloseWithoutRun(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	srv, err := New(Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Key: w.key, Directory: w.dir})
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("address still bound after Close: %v", err)
	}
	_ = ln.Close()
	if err := srv.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Run after Close: %v", err)
	}
}

func TestReceiverQueueIsBounded(t *testing.T) {
	t.Parallel()
	forEachQueue(t, testReceiverQueueIsBounded)
}

func testReceiverQueueIsBounded(t *testing.T, queue func(*Config)) {
	w := newWorld(t, func(c *Config) { queue(c); c.MaxQueuePerReceiver = 3 })
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	for i := range uint64(3) {
		send(t, ca, envelope(alice.id, bob.id, i, 0))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := ca.Send(ctx, envelope(alice.id, bob.id, 3, 0)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send to a full queue: %v", err)
	}
	if d := w.depth(bob); d != 3 {
		t.Fatalf("depth %d", d)
	}
	if st := w.srv.Stats(); st.MessagesRejected != 1 {
		t.Fatalf("rejected %d", st.MessagesRejected)
	}
	// Once bob drains his queue, alice can send again.
	cb := w.dial(bob)
	for range 3 {
		receiveAck(t, cb)
	}
	eventually(t, "queue drained", func() bool { return w.depth(bob) == 0 })
	send(t, ca, envelope(alice.id, bob.id, 4, 0))
	if env := receiveAck(t, cb); env.MessageID != 4 {
		t.Fatalf("got %d", env.MessageID)
	}
}

func TestSlowReceiverIsDisconnectedAndKeepsItsMessages(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *Config) { c.MaxOutbox = 8; c.MaxOutboxBytes = 64 << 10; c.WriteTimeout = time.Second })
	alice, bob := w.newUser(), w.newUser()
	ca := w.dial(alice)
	cb := w.dial(bob, func(c *client.Config) { c.IncomingBuffer = 1 })
	waitSynced(t, cb)
	// bob reads nothing: his client stops reading the socket once Incoming
	// is full, the socket buffers fill up, and the server's outbox overflows.
	const n, senders = 1200, 24
	errc := make(chan error, senders)
	for g := range senders {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			for i := g; i < n; i += senders {
				env := envelope(alice.id, bob.id, uint64(i), 0)
				env.Box = make([]byte, 8000)
				if err := ca.Send(ctx, env); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range senders {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "slow receiver disconnected", func() bool { return w.srv.Stats().SlowReceivers > 0 })
	// Nothing was lost: bob gets every message once he reads. Acks sent on
	// the connection that was closed fail; those messages come again.
	seen := make(map[uint64]bool)
	for len(seen) < n {
		env := receive(t, cb)
		seen[env.MessageID] = true
		_ = cb.Ack(context.Background(), env.Sender, env.MessageID)
	}
	// The last acks may have gone down with a connection: reconnect until
	// the queue is empty, acking what comes again.
	go func() {
		for env := range cb.Incoming() {
			_ = cb.Ack(context.Background(), env.Sender, env.MessageID)
		}
	}()
	eventually(t, "queue drained", func() bool { return w.depth(bob) == 0 })
}
