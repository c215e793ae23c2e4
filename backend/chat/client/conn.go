package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kurier/kurier/protocol/csp"
)

// connection is one TCP connection after login. Frames are sealed and
// written under writeMu (the send nonce counter lives in the session); only
// the reader opens frames.
type connection struct {
	nc      net.Conn
	sess    *csp.Session
	timeout time.Duration

	writeMu sync.Mutex
	wbuf    []byte

	synced    chan struct{} // closed on queue-send-complete
	syncOnce  sync.Once
	lastEcho  atomic.Int64 // unix nanos of the last echo response
	closeErr  atomic.Pointer[CloseError]
	first     []byte // the first container, read during login
	closeOnce sync.Once
}

// dial connects and logs in. A server that refuses the login right after
// login-ack (unknown or revoked identity, takeover race, legacy format) is
// reported as its *CloseError.
func dial(ctx context.Context, cfg Config, id csp.ID) (*connection, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("client: dial: %w", err)
	}
	stop := context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Now()) })
	cn, err := login(nc, cfg, id)
	if !stop() && err == nil {
		err = ctx.Err()
	}
	if err != nil {
		_ = nc.Close()
		if ctx.Err() != nil && !errors.As(err, new(*CloseError)) {
			return nil, fmt.Errorf("client: login: %w (%w)", ctx.Err(), err)
		}
		return nil, err
	}
	_ = nc.SetDeadline(time.Time{})
	return cn, nil
}

// login runs the client side of the §3.2 handshake and reads the first frame.
func login(nc net.Conn, cfg Config, id csp.ID) (*connection, error) {
	hs, err := csp.NewClientHandshake(cfg.Rand, id, cfg.Key, cfg.ServerKey)
	if err != nil {
		return nil, err
	}
	hello, err := hs.Hello()
	if err != nil {
		return nil, err
	}
	if _, err := nc.Write(hello); err != nil {
		return nil, fmt.Errorf("client: write client-hello: %w", err)
	}
	var sh [csp.ServerHelloLen]byte
	if _, err := io.ReadFull(nc, sh[:]); err != nil {
		return nil, fmt.Errorf("client: read server-hello: %w", err)
	}
	if err := hs.ReadServerHello(sh[:]); err != nil {
		return nil, err
	}
	lb, err := hs.Login(cfg.Extensions)
	if err != nil {
		return nil, err
	}
	if _, err := nc.Write(lb); err != nil {
		return nil, fmt.Errorf("client: write login: %w", err)
	}
	var ack [csp.LoginAckLen]byte
	if _, err := io.ReadFull(nc, ack[:]); err != nil {
		return nil, fmt.Errorf("client: read login-ack: %w", err)
	}
	sess, err := hs.ReadLoginAck(ack[:])
	if err != nil {
		return nil, err
	}
	cn := &connection{nc: nc, sess: sess, timeout: cfg.WriteTimeout, synced: make(chan struct{})}
	cn.lastEcho.Store(time.Now().UnixNano())
	// The server always sends something at once: a delivery, queue-send-
	// complete, or the close-error of a refused login.
	box, err := csp.ReadFrame(nc, nil)
	if err != nil {
		return nil, fmt.Errorf("client: read first frame: %w", err)
	}
	c, err := sess.OpenFrame(nil, box)
	if err != nil {
		return nil, err
	}
	if t, data, err := csp.ParseContainer(c); err == nil && t == csp.TypeCloseError {
		ce, err := csp.DecodeCloseError(data)
		if err != nil {
			return nil, err
		}
		return nil, &CloseError{CanReconnect: ce.CanReconnect, Message: ce.Message}
	}
	cn.first = c
	return cn, nil
}

// writeContainer seals and writes one container.
func (cn *connection) writeContainer(container []byte) error {
	cn.writeMu.Lock()
	defer cn.writeMu.Unlock()
	return cn.writeLocked(container)
}

func (cn *connection) writeLocked(container []byte) error {
	var err error
	if cn.wbuf, err = cn.sess.SealFrame(cn.wbuf[:0], container); err != nil {
		return err
	}
	if err := cn.nc.SetWriteDeadline(time.Now().Add(cn.timeout)); err != nil {
		return err
	}
	if _, err := cn.nc.Write(cn.wbuf); err != nil {
		cn.close()
		return fmt.Errorf("client: write: %w", err)
	}
	return nil
}

// writePayload encodes and writes one payload.
func (cn *connection) writePayload(p csp.Payload) error {
	c, err := csp.AppendContainer(nil, p)
	if err != nil {
		return err
	}
	return cn.writeContainer(c)
}

func (cn *connection) close() {
	cn.closeOnce.Do(func() { _ = cn.nc.Close() })
}

func (cn *connection) markSynced() {
	cn.syncOnce.Do(func() { close(cn.synced) })
}
