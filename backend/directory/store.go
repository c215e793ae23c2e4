package directory

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/kurier/kurier/internal/pgdb"
	"github.com/kurier/kurier/protocol/cryptobox"
	wire "github.com/kurier/kurier/protocol/directory"
)

// errDuplicateID is returned by insertIdentity when the drawn ID is taken.
var errDuplicateID = errors.New("directory: identity id taken")

// Kinds of contact hash.
const (
	hashKindEmail = "email"
	hashKindPhone = "phone"
)

// store is the directory's database: SQLite in the data directory (the
// embedded default) or PostgreSQL (Config.Database), which several
// directory nodes may share. It is the only code in the package that
// touches a database. Every method is one atomic step, safe to call from
// many goroutines and, on PostgreSQL, from many nodes at once.
type store interface {
	// insertIdentity registers a new identity. It fails with ErrKeyInUse
	// when the key is registered (revoked or not), and errDuplicateID when
	// the ID is taken.
	insertIdentity(ctx context.Context, id string, pub cryptobox.PublicKey, now time.Time) error
	// keyRegistered reports whether pub belongs to any identity, revoked or not.
	keyRegistered(ctx context.Context, pub cryptobox.PublicKey) (bool, error)
	// identity reads one identity, or ErrNotFound.
	identity(ctx context.Context, id string) (wire.Identity, error)
	// identities reads the known identities among ids, keyed by ID.
	identities(ctx context.Context, ids []string) (map[string]wire.Identity, error)
	// listIdentities reads up to limit identities with IDs after the given
	// one, in ID order.
	listIdentities(ctx context.Context, after string, limit int) ([]wire.Identity, error)
	// setFeatureMask updates an identity's feature mask, or ErrNotFound.
	setFeatureMask(ctx context.Context, id string, mask uint64) error
	// revoke marks an identity invalid and drops its contact hashes, or
	// ErrNotFound.
	revoke(ctx context.Context, id string, now time.Time) error
	// linkHashes replaces the hashes of one kind linked to id (none unlinks).
	linkHashes(ctx context.Context, id, kind string, hashes [][]byte) error
	// matchHashes finds the identities linked to any of hashes of one kind,
	// in ID order. Revoked identities are never returned; inactive ones
	// only if asked.
	matchHashes(ctx context.Context, kind string, hashes [][]byte, includeInactive bool) ([]hashMatch, error)
	close() error
}

// hashMatch is one identity found by a contact hash.
type hashMatch struct {
	identity wire.Identity
	kind     string
	hash     []byte
}

// state is where a server keeps what it knows: identities and hashes, the
// rate-limit buckets and the challenge tokens.
type state struct {
	store  store
	limits limiter
	tokens challengeTokens
}

// openState opens the state cfg names. On PostgreSQL, when cfg.Database is a
// postgres:// URL, all of it is there, shared by every node on that
// database; else the store is SQLite in cfg.DataDir and the buckets and
// tokens are in memory.
func openState(ctx context.Context, cfg Config) (state, error) {
	if pgdb.IsURL(cfg.Database) {
		return openPostgresState(ctx, cfg)
	}
	st, err := openSQLiteStore(ctx, filepath.Join(cfg.DataDir, dbFile))
	if err != nil {
		return state{}, err
	}
	return state{
		store:  st,
		limits: newMemoryLimiter(cfg.limits(), cfg.MaxTrackedIPs),
		tokens: memoryTokens{newTokenStore(cfg.Rand, cfg.TokenTTL, cfg.MaxTokens)},
	}, nil
}

// identityColumns are the columns scanIdentity reads, in its order.
const identityColumns = `id, public_key, feature_mask, state, type`

// rowScanner is a row of either database.
type rowScanner interface{ Scan(dest ...any) error }

// scanIdentity reads the identityColumns of one row.
func scanIdentity(r rowScanner) (wire.Identity, error) {
	var (
		it   wire.Identity
		pub  []byte
		mask int64
	)
	if err := r.Scan(&it.ID, &pub, &mask, &it.State, &it.Type); err != nil {
		return wire.Identity{}, err
	}
	k, err := cryptobox.ParsePublicKey(pub)
	if err != nil {
		return wire.Identity{}, err
	}
	it.PublicKey = k
	it.FeatureMask = uint64(mask)
	return it, nil
}
