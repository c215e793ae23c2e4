package phone

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	blobclient "github.com/kurier/kurier/backend/blob/client"
	chatclient "github.com/kurier/kurier/backend/chat/client"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/e2e"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Files inside the data directory.
const (
	// DatabaseFile is the phone's SQLite database.
	DatabaseFile = "phone.db"
	// BackendFile is the copy of backend.json that Init stores.
	BackendFile = "backend.json"
)

// Features is the feature mask the phone announces in the directory
// (§3.6): groups, files, edit, delete and emoji reactions.
const Features = csp.FeatureGroups | csp.FeatureFile | csp.FeatureEditMessage | csp.FeatureDeleteMessage |
	csp.FeatureReactions

// Option configures a Phone (Open, Init).
type Option func(*options)

type options struct {
	log          *slog.Logger
	rand         io.Reader
	now          func() time.Time
	reconnectMin time.Duration
	reconnectMax time.Duration
	outboxExpiry time.Duration
}

// DefaultOutboxExpiry is how long an outgoing message may wait for the chat
// server before it is given up and marked failed.
const DefaultOutboxExpiry = 7 * 24 * time.Hour

// WithOutboxExpiry sets how long an outgoing message may wait for the chat
// server before it is marked failed (DefaultOutboxExpiry by default).
func WithOutboxExpiry(d time.Duration) Option { return func(o *options) { o.outboxExpiry = d } }

// WithLogger sets the logger; the default discards logs.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithRand sets the source of keys, nonces and message ids (crypto/rand by default).
func WithRand(r io.Reader) Option { return func(o *options) { o.rand = r } }

// WithClock sets the clock (time.Now by default).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithReconnect sets the chat connection's reconnect back-off bounds.
func WithReconnect(lo, hi time.Duration) Option {
	return func(o *options) { o.reconnectMin, o.reconnectMax = lo, hi }
}

func buildOptions(opts []Option) options {
	o := options{rand: rand.Reader, now: time.Now, outboxExpiry: DefaultOutboxExpiry}
	for _, f := range opts {
		f(&o)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	return o
}

// Phone is an initialized virtual phone on its data directory. Its methods
// are safe for concurrent use; Run connects it.
type Phone struct {
	opts  options
	log   *slog.Logger
	dir   string
	st    *store.Store
	self  store.Identity
	id    csp.ID
	prov  *provisioning.File
	dirc  *dirclient.Client
	blobc *blobclient.Client

	keysMu sync.Mutex
	keys   map[csp.ID]e2e.PeerKeys

	nickMu   sync.RWMutex
	nickname string // self.Nickname, changeable at runtime

	events eventHub
	out    sender

	runMu   sync.Mutex
	running bool
	syncReq chan chan struct{} // WaitSynced asks the receive loop to drain
}

// Open opens an initialized data directory (ErrNotInitialized otherwise).
func Open(ctx context.Context, dataDir string, opts ...Option) (*Phone, error) {
	o := buildOptions(opts)
	prov, err := provisioning.Load(filepath.Join(dataDir, BackendFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotInitialized
		}
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(dataDir, DatabaseFile))
	if err != nil {
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	self, err := st.Identity(ctx)
	if err != nil {
		_ = st.Close()
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrNotInitialized
		}
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	id, err := csp.ParseID(self.ID)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	dirc, err := dirclient.New(prov.Directory.URL)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	blobc, err := blobclient.New(prov.Blob.URL)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("phone: open: %w", err)
	}
	p := &Phone{
		opts: o, dir: dataDir, st: st, self: self, nickname: self.Nickname, id: id, prov: prov, dirc: dirc, blobc: blobc,
		log:     o.log.With("component", "phone", "identity", self.ID),
		keys:    make(map[csp.ID]e2e.PeerKeys),
		syncReq: make(chan chan struct{}),
	}
	p.out.init(p)
	return p, nil
}

// Close closes the database. Stop Run (cancel its context) first.
func (p *Phone) Close() error {
	return p.st.Close()
}

// ID is the phone's identity.
func (p *Phone) ID() string { return p.self.ID }

// Nickname is the phone's nickname.
func (p *Phone) Nickname() string {
	p.nickMu.RLock()
	defer p.nickMu.RUnlock()
	return p.nickname
}

// MaxNicknameBytes bounds the nickname sent with every message (§2.4 Limits).
const MaxNicknameBytes = 32

// SetNickname changes the nickname sent in the metadata of every later
// message (empty: none) and stores it.
func (p *Phone) SetNickname(ctx context.Context, nickname string) error {
	if len(nickname) > MaxNicknameBytes || !utf8.ValidString(nickname) {
		return fmt.Errorf("%w: a nickname has at most %d bytes of UTF-8", ErrInvalid, MaxNicknameBytes)
	}
	p.nickMu.Lock()
	defer p.nickMu.Unlock()
	if err := p.st.SetNickname(ctx, nickname); err != nil {
		return err
	}
	p.nickname = nickname
	p.log.Info("nickname changed")
	return nil
}

// PublicKey is the phone's long-term public key, and Fingerprint(PublicKey)
// what a peer compares in person.
func (p *Phone) PublicKey() cryptobox.PublicKey { return p.self.Key.Public }

// Store gives read access to the phone's database (conversations, messages,
// contacts, groups). Writes go through the Phone's methods.
func (p *Phone) Store() *store.Store { return p.st }

// chatConfig is the chat client configuration of the phone.
func (p *Phone) chatConfig() (chatclient.Config, error) {
	key, err := p.prov.ChatKey()
	if err != nil {
		return chatclient.Config{}, fmt.Errorf("phone: %w", err)
	}
	return chatclient.Config{
		Addr: p.prov.Chat.Address, ServerKey: key, Identity: p.self.ID, Key: p.self.Key,
		Logger: p.log, Rand: p.opts.rand,
		ReconnectMin: p.opts.reconnectMin, ReconnectMax: p.opts.reconnectMax,
		IncomingBuffer: 1024,
	}, nil
}

// Signaling is the signaling server of the phone's backend.json (where
// paired desktops meet the phone, on the node the desktop's key selects when
// it lists several), or nil when the backend has none.
func (p *Phone) Signaling() *provisioning.Signaling {
	if p.prov.Signaling == nil {
		return nil
	}
	s := *p.prov.Signaling
	s.Nodes = slices.Clone(s.Nodes)
	return &s
}

// Logger is the phone's logger, for the components built on it (the desktop link).
func (p *Phone) Logger() *slog.Logger { return p.opts.log }
