//go:build !nocluster

package directory

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// postgresLimiter keeps the per-address token buckets in PostgreSQL
// (directory_rate_limits), one row per address and class, shared by every
// node on the database: a client that spreads its requests over several
// nodes spends one budget. The nodes' clocks are assumed in step (NTP); a
// node whose clock lags never refills a bucket twice, since a row's time
// only moves forward.
type postgresLimiter struct {
	pool   *pgxpool.Pool
	limits []RateLimit
	// classes, rates and bursts are limits as the sweep's arrays.
	classes       []int16
	rates, bursts []float64
	addrs         countCache
}

func newPostgresLimiter(pool *pgxpool.Pool, limits []RateLimit) *postgresLimiter {
	l := &postgresLimiter{pool: pool, limits: limits}
	l.addrs.TTL = countCacheTTL
	for c, lim := range limits {
		l.classes = append(l.classes, int16(c))
		l.rates = append(l.rates, lim.PerSecond)
		l.bursts = append(l.bursts, float64(lim.Burst))
	}
	return l
}

// chargeQuery charges $4 tokens to the bucket ($1 address, $2 class; $3
// burst, $6 refill rate a second) at $5 (unix seconds) in one statement:
// a new row starts full, an existing one is refilled for the time since it
// was last charged and charged only if it then holds enough, under its row
// lock, so that concurrent charges from several nodes never overspend.
// The first column reports the charge; the second, the tokens the bucket
// held as of the statement's snapshot, gives the wait of a refusal.
const chargeQuery = `WITH charged AS (
		INSERT INTO directory_rate_limits AS b (addr, class, tokens, at)
		VALUES ($1, $2, $3::float8 - $4::float8, $5::float8)
		ON CONFLICT (addr, class) DO UPDATE
			SET tokens = least($3, b.tokens + greatest(0, $5 - b.at) * $6::float8) - $4,
			    at = greatest(b.at, $5)
			WHERE least($3, b.tokens + greatest(0, $5 - b.at) * $6) >= $4
		RETURNING 1
	)
	SELECT EXISTS (SELECT 1 FROM charged),
		COALESCE((SELECT least($3, tokens + greatest(0, $5 - at) * $6)
			FROM directory_rate_limits WHERE addr = $1 AND class = $2), 0)`

func (l *postgresLimiter) allowN(ctx context.Context, addr netip.Addr, now time.Time, n int, class limitClass) (bool, time.Duration, error) {
	lim := l.limits[class]
	if n > lim.Burst {
		return false, time.Hour, nil
	}
	if !addr.IsValid() {
		addr = netip.IPv4Unspecified()
	}
	var (
		ok    bool
		avail float64
	)
	if err := l.pool.QueryRow(ctx, chargeQuery, addr, int16(class), float64(lim.Burst), float64(n),
		unixSeconds(now), lim.PerSecond).Scan(&ok, &avail); err != nil {
		return false, 0, fmt.Errorf("directory: rate limit: %w", err)
	}
	if ok {
		return true, 0, nil
	}
	wait := time.Duration((float64(n) - avail) / lim.PerSecond * float64(time.Second))
	return false, max(wait, time.Nanosecond), nil
}

// sweep deletes the rows whose bucket has refilled: such a row is the same
// as no row, so the table holds only the addresses still paying back what
// they spent, as the in-memory table forgets idle addresses.
func (l *postgresLimiter) sweep(ctx context.Context, now time.Time) error {
	if _, err := l.pool.Exec(ctx, `DELETE FROM directory_rate_limits b
		USING unnest($1::int2[], $2::float8[], $3::float8[]) AS l(class, rate, burst)
		WHERE b.class = l.class AND b.tokens + greatest(0, $4 - b.at) * l.rate >= l.burst`,
		l.classes, l.rates, l.bursts, unixSeconds(now)); err != nil {
		return fmt.Errorf("directory: sweep rate limits: %w", err)
	}
	return nil
}

func (l *postgresLimiter) tracked(ctx context.Context) (int, error) {
	return l.addrs.Get(ctx, func(ctx context.Context) (int, error) {
		var n int
		if err := l.pool.QueryRow(ctx, `SELECT count(DISTINCT addr) FROM directory_rate_limits`).Scan(&n); err != nil {
			return 0, fmt.Errorf("directory: tracked addresses: %w", err)
		}
		return n, nil
	})
}

// unixSeconds is t as fractional unix seconds, the rate-limit rows' time.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e9
}
