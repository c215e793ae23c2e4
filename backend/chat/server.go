package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
)

// Server is a chat server: the CSP over TCP in front of a durable SQLite
// queue. Create it with New, then call Run exactly once.
type Server struct {
	cfg   Config
	log   *slog.Logger
	ln    net.Listener
	st    queueStore
	batch *batcher
	hub   *hub
	m     *metrics
	// cluster is set when the queue is shared with other nodes.
	cluster clusterNode

	frameBufs sync.Pool // *[]byte of csp.MaxFrameLen, for the readers
	writeBufs sync.Pool // *[]byte, for the writers

	known     knownReceivers
	storeFull atomic.Bool // the queue's files passed MaxStoreBytes (watermarkLoop)

	limMu      sync.Mutex
	total      int
	perIP      map[string]int
	pending    int            // connections in their login
	pendingIP  map[string]int // the same per address
	refusedFor [numRefusals]atomic.Uint64

	conns        sync.WaitGroup
	shuttingDown atomic.Bool
	started      atomic.Bool // Run was called
	stopped      atomic.Bool // Run has closed the store
	closed       atomic.Bool // closeResources ran

	closeOnce sync.Once
	closeErr  error

	// beforeFlush, set only by tests, runs in run() under the new
	// connection's lock just before its backlog flush starts.
	beforeFlush atomic.Pointer[func(*conn)]
}

// New validates cfg, opens (creating and migrating) the queue in
// cfg.DataDir and binds cfg.Addr.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "chat")
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("chat: data dir: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := openQueue(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cs, shared := st.(clusterStore)
	if shared {
		log = log.With("node", cs.nodeID())
	}
	depth, err := st.count(ctx)
	if err != nil {
		_ = st.close()
		return nil, err
	}
	m := &metrics{}
	m.queueDepth.Store(depth)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = st.close()
		return nil, fmt.Errorf("chat: listen: %w", err)
	}
	s := &Server{cfg: cfg, log: log, ln: ln, st: st, hub: newHub(), m: m, perIP: make(map[string]int), pendingIP: make(map[string]int)}
	s.frameBufs.New = func() any { b := make([]byte, csp.MaxFrameLen); return &b }
	s.writeBufs.New = func() any { b := make([]byte, 0, 2*flushBytes); return &b }
	s.batch = newBatcher(st, log, m, cfg.MaxBatch, cfg.CommitDelay, cfg.MaxQueuePerReceiver, cfg.MaxQueueBytesPerReceiver)
	if shared {
		s.cluster = clusterNode{s: s, st: cs}
		s.batch.shared = true
	}
	s.batch.onCommit = s.afterCommit
	s.batch.onFail = s.afterFail
	return s, nil
}

// Addr is the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// PublicKey is the server's long-term public key SK.pub, which clients need.
func (s *Server) PublicKey() cryptobox.PublicKey { return s.cfg.Key.Public }

// Run serves until ctx is cancelled. It then stops accepting, closes every
// connection (telling clients with a close-error that they may reconnect),
// commits whatever the batcher still holds, and closes the queue. Nothing
// acknowledged is lost: an ack is only sent after its commit.
func (s *Server) Run(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: Run called twice", ErrClosed)
	}
	if s.closed.Load() {
		return fmt.Errorf("%w: Run after Close", ErrClosed)
	}
	stopBatcher := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(1)
	go func() {
		defer bg.Done()
		s.batch.run(stopBatcher)
	}()
	connCtx, cancelConns := context.WithCancel(context.Background())
	defer cancelConns()
	purgeCtx, stopPurge := context.WithCancel(ctx)
	defer stopPurge()
	bg.Add(2)
	go func() {
		defer bg.Done()
		s.purgeLoop(purgeCtx)
	}()
	go func() {
		defer bg.Done()
		s.watermarkLoop(purgeCtx)
	}()
	if s.cluster.st != nil {
		bg.Add(1)
		go func() {
			defer bg.Done()
			s.cluster.st.listen(purgeCtx, s.cluster)
		}()
	}
	acceptErr := make(chan error, 1)
	go func() { acceptErr <- s.acceptLoop(connCtx) }()
	s.log.Info("chat server listening", "addr", s.ln.Addr().String())

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-acceptErr:
		runErr = err
		acceptErr <- nil
	}
	s.shuttingDown.Store(true)
	_ = s.ln.Close()
	<-acceptErr
	cancelConns()
	s.conns.Wait()
	stopPurge()
	close(stopBatcher)
	bg.Wait()
	s.stopped.Store(true)
	if err := s.closeResources(); err != nil && runErr == nil {
		runErr = err
	}
	s.log.Info("chat server stopped")
	return runErr
}

// Close releases the listener and the queue of a server whose Run was never
// called (New succeeded, then something else failed). Once Run has been
// called, Run owns the shutdown and Close does nothing. It is safe to call
// more than once.
func (s *Server) Close() error {
	if s.started.Load() && !s.stopped.Load() {
		return nil
	}
	return s.closeResources()
}

// closeResources closes the listener and the store, once.
func (s *Server) closeResources() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Debug("close listener", "err", err)
		}
		s.closeErr = s.st.close()
	})
	return s.closeErr
}

// acceptLoop accepts connections until the listener is closed.
func (s *Server) acceptLoop(ctx context.Context) error {
	var backoff time.Duration
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			// Out of file descriptors and the like: wait, then go on.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("accept failed", "err", err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
				continue
			case <-ctx.Done():
				return nil
			}
		}
		backoff = 0
		ip := remoteIP(nc)
		if reason, ok := s.admit(ip); !ok {
			// Never blocks: a refused connection costs one accept and a close.
			s.refusedFor[reason].Add(1)
			s.log.Debug("connection refused", "reason", refusalNames[reason], "remote", nc.RemoteAddr().String())
			_ = nc.Close()
			continue
		}
		s.conns.Add(1)
		go func() {
			defer s.conns.Done()
			s.serve(ctx, nc, ip)
		}()
	}
}

// Why a connection is refused on accept (Stats.ConnectionsRefused).
const (
	refusedTotal = iota
	refusedPerIP
	refusedPendingTotal
	refusedPendingPerIP
	numRefusals
)

// refusalNames label the refusals in logs and metrics.
var refusalNames = [numRefusals]string{"connections_total", "connections_per_address", "logins_total", "logins_per_address"}

// admit counts a new connection against the global and per-IP limits of
// open connections and of connections in their login.
func (s *Server) admit(ip string) (int, bool) {
	s.limMu.Lock()
	defer s.limMu.Unlock()
	switch {
	case s.total >= s.cfg.MaxConnections:
		return refusedTotal, false
	case s.perIP[ip] >= s.cfg.MaxConnectionsPerIP:
		return refusedPerIP, false
	case s.pending >= s.cfg.MaxPendingLogins:
		return refusedPendingTotal, false
	case s.pendingIP[ip] >= s.cfg.MaxPendingLoginsPerIP:
		return refusedPendingPerIP, false
	}
	s.total++
	s.perIP[ip]++
	s.pending++
	s.pendingIP[ip]++
	return 0, true
}

// loginDone releases the login place admit took (the connection stays).
func (s *Server) loginDone(ip string) {
	s.limMu.Lock()
	defer s.limMu.Unlock()
	s.pending--
	if s.pendingIP[ip]--; s.pendingIP[ip] <= 0 {
		delete(s.pendingIP, ip)
	}
}

// leave releases what admit counted.
func (s *Server) leave(ip string) {
	s.limMu.Lock()
	defer s.limMu.Unlock()
	s.total--
	if s.perIP[ip]--; s.perIP[ip] <= 0 {
		delete(s.perIP, ip)
	}
}

func remoteIP(nc net.Conn) string {
	if a, ok := nc.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return nc.RemoteAddr().String()
}

// serve logs a connection in and, if that succeeds, hands it to a fresh
// reader goroutine: the login's deep stack (X25519, the directory lookup)
// goes away with this goroutine instead of staying with an idle connection.
func (s *Server) serve(ctx context.Context, nc net.Conn, ip string) {
	remote := nc.RemoteAddr().String()
	lctx, cancel := context.WithTimeout(ctx, s.cfg.HandshakeTimeout)
	stop := context.AfterFunc(lctx, func() { _ = nc.SetDeadline(time.Now()) })
	ls, err := s.login(lctx, nc)
	stopped := stop()
	cancel()
	s.loginDone(ip)
	if err != nil || !stopped {
		if err == nil {
			err = context.DeadlineExceeded
		}
		s.log.Info("login failed", "remote", remote, "err", err)
		_ = nc.Close()
		s.leave(ip)
		return
	}
	_ = nc.SetDeadline(time.Time{})
	c := newConn(ctx, s, nc, ls)
	s.conns.Add(1)
	go func() {
		defer s.conns.Done()
		defer s.leave(ip)
		s.run(c, ls)
	}()
}

// run runs a logged-in connection: it takes over the identity, starts the
// backlog flush and reads until the connection ends.
func (s *Server) run(c *conn, ls session) {
	var old *conn
	if s.cluster.st != nil {
		var err error
		ctx, cancel := context.WithTimeout(c.ctx, s.cfg.HandshakeTimeout)
		old, err = s.cluster.claim(ctx, c)
		cancel()
		if err != nil {
			c.log.Warn("cluster session claim failed", "err", err)
			c.kill(&csp.CloseError{CanReconnect: true, Message: msgTemporaryError})
		}
	} else {
		old = s.hub.register(c)
	}
	if old != nil {
		old.log.Info("connection taken over")
		old.kill(&csp.CloseError{Message: csp.TakeoverMessage})
	}
	s.m.connected.Add(1)
	c.log.Info("logged in", "payload_version", ls.ext.PayloadVersion, "client_info_bytes", len(ls.ext.ClientInfo))
	c.mu.Lock()
	if h := s.beforeFlush.Load(); h != nil {
		(*h)(c)
	}
	c.startWriterLocked(c.flushBacklog)
	c.mu.Unlock()

	rerr := c.readLoop()
	killed := c.ctx.Err() != nil // by takeover, a slow-reader verdict or shutdown
	c.kill(nil)
	c.writers.Wait()
	_ = c.nc.Close()
	s.hub.unregister(c)
	if s.cluster.st != nil && c.epoch != 0 {
		s.cluster.release(c)
	}
	s.m.connected.Add(-1)
	switch {
	case errors.Is(rerr, errProtocol):
		c.log.Warn("disconnected: protocol violation", "err", rerr)
	case rerr != nil && !killed:
		c.log.Info("disconnected", "err", rerr)
	default:
		c.log.Info("disconnected")
	}
}

// afterCommit runs on the batcher goroutine once a batch is on disk: server
// acks to the senders and live deliveries to the receivers, in commit order.
func (s *Server) afterCommit(batch []request) {
	for _, r := range batch {
		if r.kind == reqEnqueue {
			m := r.msg
			if m.rejected != nil {
				s.m.rejected.Add(1)
				m.from.release(1)
				m.from.log.Warn("message refused", "receiver", m.receiver.String(), "err", m.rejected)
				continue
			}
			if m.flags.Has(csp.FlagNoAck) {
				m.from.release(1)
			} else {
				m.from.queueAck(csp.ServerAck{Receiver: m.receiver, MessageID: m.messageID})
			}
			switch {
			case m.stored:
				s.m.accepted.Add(1)
				if c := s.hub.get(m.receiver); c != nil {
					c.offer(delivery{seq: m.seq, envelope: m.envelope})
				}
			case m.flags.Has(csp.FlagNoQueuing):
				s.m.accepted.Add(1)
				if c := s.hub.get(m.receiver); c != nil {
					c.offer(delivery{envelope: m.envelope})
				}
			}
		}
	}
}

// afterFail runs when a batch could not be committed: nothing in it is
// acked, and its senders are disconnected so that they resend.
func (s *Server) afterFail(batch []request) {
	for _, r := range batch {
		if r.kind == reqEnqueue {
			r.msg.from.kill(&csp.CloseError{CanReconnect: true, Message: msgTemporaryError})
		}
	}
}

// purgeLoop deletes expired messages every PurgeInterval until ctx ends.
func (s *Server) purgeLoop(ctx context.Context) {
	t := time.NewTicker(s.cfg.PurgeInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.purgeExpired(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Error("purge of expired messages failed", "err", err)
				}
				continue
			}
			if n > 0 {
				s.log.Info("expired messages purged", "count", n)
			}
		}
	}
}

// purgeExpired deletes every message past its expiry and counts them.
func (s *Server) purgeExpired(ctx context.Context) (int, error) {
	var n int64
	now := s.cfg.Now().UnixMilli()
	err := s.batch.exec(ctx, func(ctx context.Context, tx queueTx) error {
		var err error
		n, err = tx.purgeExpired(ctx, now)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.m.expired.Add(uint64(n))
	s.m.addDepth(-n)
	return int(n), nil
}
