//go:build !nocluster

package directory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	wire "github.com/kurier/kurier/protocol/directory"
)

// postgresTokens keeps the challenge tokens in PostgreSQL
// (directory_tokens), shared by every node on the database.
type postgresTokens struct {
	pool  *pgxpool.Pool
	rand  io.Reader
	ttl   time.Duration
	max   int
	count countCache
}

// newPostgresTokens returns the token store on pool: tokens live ttl, at
// most maxTokens outstanding.
func newPostgresTokens(pool *pgxpool.Pool, rand io.Reader, ttl time.Duration, maxTokens int) *postgresTokens {
	t := &postgresTokens{pool: pool, rand: rand, ttl: ttl, max: maxTokens}
	t.count.TTL = countCacheTTL
	return t
}

// issue inserts the token unless MaxTokens unexpired ones are outstanding
// (a bound that concurrent issues on several nodes may pass by a few).
func (p *postgresTokens) issue(ctx context.Context, now time.Time, b tokenBinding) ([]byte, error) {
	tok := make([]byte, tokenSize)
	if _, err := io.ReadFull(p.rand, tok); err != nil {
		return nil, fmt.Errorf("directory: draw token: %w", err)
	}
	tag, err := p.pool.Exec(ctx, `INSERT INTO directory_tokens (token, call, identity, public_key, expires_at)
		SELECT $1, $2, $3, $4, $5
		WHERE (SELECT count(*) FROM directory_tokens WHERE expires_at > $6) < $7`,
		tok, b.call, b.identity, b.key[:], now.Add(p.ttl).UnixMilli(), now.UnixMilli(), p.max)
	if err != nil {
		return nil, fmt.Errorf("directory: issue token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil, wire.ErrBusy
	}
	return tok, nil
}

func (p *postgresTokens) redeem(ctx context.Context, now time.Time, token []byte, b tokenBinding) error {
	if len(token) != tokenSize {
		return wire.ErrTokenInvalid
	}
	var (
		got     tokenBinding
		key     []byte
		expires int64
	)
	err := p.pool.QueryRow(ctx, `DELETE FROM directory_tokens WHERE token = $1
		RETURNING call, identity, public_key, expires_at`, token).Scan(&got.call, &got.identity, &key, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return wire.ErrTokenInvalid
	}
	if err != nil {
		return fmt.Errorf("directory: redeem token: %w", err)
	}
	copy(got.key[:], key)
	if now.UnixMilli() >= expires || got.call != b.call || got.identity != b.identity || !got.key.Equal(b.key) {
		return wire.ErrTokenInvalid
	}
	return nil
}

func (p *postgresTokens) sweep(ctx context.Context, now time.Time) error {
	if _, err := p.pool.Exec(ctx, `DELETE FROM directory_tokens WHERE expires_at <= $1`, now.UnixMilli()); err != nil {
		return fmt.Errorf("directory: sweep tokens: %w", err)
	}
	return nil
}

func (p *postgresTokens) pending(ctx context.Context) (int, error) {
	return p.count.Get(ctx, func(ctx context.Context) (int, error) {
		var n int
		if err := p.pool.QueryRow(ctx, `SELECT count(*) FROM directory_tokens`).Scan(&n); err != nil {
			return 0, fmt.Errorf("directory: pending tokens: %w", err)
		}
		return n, nil
	})
}
