//go:build !nocluster

package directory

import "context"

// openPostgresState opens the state on the PostgreSQL database at
// cfg.Database, shared by every node on it.
func openPostgresState(ctx context.Context, cfg Config) (state, error) {
	st, err := openPostgresStore(ctx, cfg.Database)
	if err != nil {
		return state{}, err
	}
	return state{
		store:  st,
		limits: newPostgresLimiter(st.pool, cfg.limits()),
		tokens: newPostgresTokens(st.pool, cfg.Rand, cfg.TokenTTL, cfg.MaxTokens),
	}, nil
}
