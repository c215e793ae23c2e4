//go:build !nocluster

package chat

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The notification channels of a chat cluster. Payloads carry identities
// and numbers only, never a message.
const (
	// channelQueued: "node receiver,receiver,…" after a commit that queued
	// messages for those receivers.
	channelQueued = "kurier_chat_queued"
	// channelSession: "node identity epoch" after a login.
	channelSession = "kurier_chat_session"
	// maxNotifyReceivers keeps a queued notification well under
	// PostgreSQL's 8,000-byte payload limit (9 bytes a receiver).
	maxNotifyReceivers = 800
)

// listenerApplicationName marks the listeners' connections in
// pg_stat_activity.
const listenerApplicationName = "kurier-chat-listener"

// Listener reconnection backoff.
const (
	listenRetryMin = 50 * time.Millisecond
	listenRetryMax = 5 * time.Second
)

// nodeID names this node in notifications and the sessions table.
func (s *postgresStore) nodeID() string { return s.node }

// notifyQueued queues, in tx, the notifications that tell every node which
// receivers have new messages; PostgreSQL sends them at the commit.
func notifyQueued(b *pgx.Batch, node string, receivers []string) {
	for len(receivers) > 0 {
		n := min(len(receivers), maxNotifyReceivers)
		b.Queue(`SELECT pg_notify($1, $2)`, channelQueued, node+" "+strings.Join(receivers[:n], ","))
		receivers = receivers[n:]
	}
}

// claimSession makes this node's new connection of identity the cluster's
// one: it raises the identity's epoch, records the node and tells every
// node, in one statement.
func (s *postgresStore) claimSession(ctx context.Context, identity string) (int64, error) {
	var epoch int64
	err := s.pool.QueryRow(ctx, `WITH u AS (
			INSERT INTO chat_sessions (identity, epoch, node) VALUES ($1, 1, $2)
			ON CONFLICT (identity) DO UPDATE SET epoch = chat_sessions.epoch + 1, node = $2
			RETURNING epoch
		)
		SELECT epoch, pg_notify($3, $2 || ' ' || $1 || ' ' || epoch) FROM u`,
		identity, s.node, channelSession).Scan(&epoch, nil)
	if err != nil {
		return 0, fmt.Errorf("chat: claim session: %w", err)
	}
	return epoch, nil
}

// releaseSession records that the login of identity with epoch ended,
// unless a later login replaced it.
func (s *postgresStore) releaseSession(ctx context.Context, identity string, epoch int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE chat_sessions SET node = '' WHERE identity = $1 AND epoch = $2`,
		identity, epoch); err != nil {
		return fmt.Errorf("chat: release session: %w", err)
	}
	return nil
}

// sessionEpochs returns the current epoch of each identity that has one.
func (s *postgresStore) sessionEpochs(ctx context.Context, identities []string) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT identity, epoch FROM chat_sessions WHERE identity = ANY($1)`, identities)
	if err != nil {
		return nil, fmt.Errorf("chat: session epochs: %w", err)
	}
	out := make(map[string]int64, len(identities))
	var (
		id    string
		epoch int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &epoch}, func() error {
		out[id] = epoch
		return nil
	}); err != nil {
		return nil, fmt.Errorf("chat: session epochs: %w", err)
	}
	return out, nil
}

// listen delivers the cluster's notifications to ev until ctx ends, on a
// connection of its own. After every (re)connection it calls ev.resync
// first: a notification sent while no connection listened is lost, so the
// listener's owner re-reads what it may have missed.
func (s *postgresStore) listen(ctx context.Context, ev clusterEvents) {
	backoff := listenRetryMin
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, ev)
		if ctx.Err() != nil {
			return
		}
		ev.lost(err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return
		}
		backoff = min(2*backoff, listenRetryMax)
	}
}

// listenOnce connects, listens and dispatches until the connection fails.
func (s *postgresStore) listenOnce(ctx context.Context, ev clusterEvents) error {
	cfg, err := pgx.ParseConfig(s.url)
	if err != nil {
		return fmt.Errorf("chat: listener: %w", err)
	}
	cfg.RuntimeParams["application_name"] = listenerApplicationName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("chat: listener connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	for _, ch := range []string{channelQueued, channelSession} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return fmt.Errorf("chat: listen %s: %w", ch, err)
		}
	}
	ev.resync(ctx)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("chat: listener: %w", err)
		}
		if err := dispatch(s.node, n, ev); err != nil {
			ev.malformed(err)
		}
	}
}

// dispatch parses one notification and hands it to ev; notifications this
// node sent itself are skipped.
func dispatch(self string, n *pgconn.Notification, ev clusterEvents) error {
	node, rest, ok := strings.Cut(n.Payload, " ")
	if !ok {
		return fmt.Errorf("notification on %s without a node: %d bytes", n.Channel, len(n.Payload))
	}
	if node == self {
		return nil
	}
	switch n.Channel {
	case channelQueued:
		ev.queued(strings.Split(rest, ","))
	case channelSession:
		id, e, ok := strings.Cut(rest, " ")
		epoch, err := strconv.ParseInt(e, 10, 64)
		if !ok || err != nil {
			return errors.New("session notification without identity and epoch")
		}
		ev.session(id, epoch)
	}
	return nil
}
