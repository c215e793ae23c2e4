package backend

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kurier/kurier/backend/admin"
	"github.com/kurier/kurier/backend/blob"
	"github.com/kurier/kurier/backend/chat"
	"github.com/kurier/kurier/backend/directory"
	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/backend/signaling"
	"github.com/kurier/kurier/internal/connlimit"
	"github.com/kurier/kurier/internal/pgdb"
	"github.com/kurier/kurier/protocol/cryptobox"
	dirwire "github.com/kurier/kurier/protocol/directory"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Default listen addresses of the all-in-one backend (DESIGN: loopback only).
const (
	DefaultChatAddr      = "127.0.0.1:5222"
	DefaultSignalingAddr = signaling.DefaultAddr
	DefaultDirectoryAddr = "127.0.0.1:8081"
	DefaultBlobAddr      = "127.0.0.1:8082"
	DefaultAdminAddr     = "127.0.0.1:8080"
)

// Server names for Config.Only.
const (
	ServerChat      = "chat"
	ServerSignaling = "signaling"
	ServerDirectory = "directory"
	ServerBlob      = "blob"
)

// ProvisioningFile is the name of the file clients read, inside the data directory.
const ProvisioningFile = "backend.json"

// Config configures a whole backend. Every address may be "127.0.0.1:0" to
// pick a free port.
type Config struct {
	// DataDir holds the keys, each server's store and backend.json.
	DataDir string
	// Database, a postgres:// URL, holds the chat queue, the directory and
	// the blobs instead of DataDir (chat, directory and blob
	// Config.Database), so that several nodes can share them; empty keeps
	// them in DataDir.
	Database string
	// BlobS3, an s3://ACCESS:SECRET@host[:port]/bucket[?secure=false] URL,
	// keeps the blobs in that S3 bucket instead (blob Config.S3), even with
	// Database; empty keeps them where Database says. It holds a secret:
	// never log it.
	BlobS3 string
	// Node names this backend among the nodes sharing Database (logs, the
	// chat cluster's notifications and sessions); empty draws a random name.
	Node string
	// ChatAddr, SignalingAddr, DirectoryAddr, BlobAddr and AdminAddr are the
	// listen addresses.
	ChatAddr, SignalingAddr, DirectoryAddr, BlobAddr, AdminAddr string
	// Only, when not empty, runs just these servers (Server* names); the
	// admin server always runs. backend.json is written only when all four
	// run, since clients need all of them.
	Only []string
	// DirectoryURL is the directory the chat server asks over HTTP when the
	// directory does not run in this process.
	DirectoryURL string
	// PlainSignaling serves the signaling server as ws:// instead of wss://.
	PlainSignaling bool
	// SignalingNodes, when not empty, are the signaling nodes of a cluster,
	// written into backend.json as signaling.nodes: ws:// or wss://host:port
	// URLs, or host:port (then with this server's scheme: wss://, ws:// with
	// PlainSignaling). A desktop with permanent key K pairs through node
	// K[0] % len(SignalingNodes) and its phone follows; there is no relay
	// between nodes, so every backend.json of the cluster must list the same
	// nodes in the same order. The nodes inherit this backend's signaling
	// key and certificate pin: run them with copies of this data directory's
	// keys and signaling TLS certificate (or behind certificates a CA signed,
	// with PlainSignaling). Needs the signaling server in this process.
	SignalingNodes []string
	// Limits are the operator's bounds against hostile clients; zero
	// fields keep each server's default.
	Limits Limits
	// Metrics exports the servers' measurements on the admin server's
	// /metrics (package backend/metrics); nil exports none, as the
	// desktop's embedded world does.
	Metrics Metrics
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Rand is the source of keys and random identifiers; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	for _, d := range []struct {
		field *string
		value string
	}{
		{&c.ChatAddr, DefaultChatAddr}, {&c.SignalingAddr, DefaultSignalingAddr},
		{&c.DirectoryAddr, DefaultDirectoryAddr}, {&c.BlobAddr, DefaultBlobAddr}, {&c.AdminAddr, DefaultAdminAddr},
	} {
		if *d.field == "" {
			*d.field = d.value
		}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// runs reports whether the named server is part of this backend.
func (c *Config) runs(name string) bool { return len(c.Only) == 0 || slices.Contains(c.Only, name) }

// Metrics exports the servers' measurements: package backend/metrics's
// Prometheus.
type Metrics interface {
	// Signaling returns the signalling server's measurements, made before
	// the server starts.
	Signaling() (signaling.Metrics, error)
	// Admin makes the admin server's /metrics handler.
	Admin(cfg admin.Config, own *connlimit.Listener) (http.Handler, error)
}

// Backend is a running set of servers sharing one data directory.
type Backend struct {
	cfg       Config
	log       *slog.Logger
	keys      Keys
	directory *directory.Server
	blob      *blob.Server
	chat      *chat.Server
	signaling *signaling.Server
	admin     *admin.Server
	file      provisioning.File
	complete  bool // all four servers run, so backend.json can be written
}

// New loads (or creates) the server keys and starts every configured server
// listening. A stale backend.json is removed first; Run writes the new one
// once every server listens.
func New(cfg Config) (_ *Backend, err error) {
	cfg.setDefaults()
	if cfg.DataDir == "" {
		return nil, errors.New("backend: no data directory")
	}
	if cfg.Database != "" && !pgdb.IsURL(cfg.Database) {
		return nil, errors.New("backend: the database must be a postgres:// or postgresql:// URL")
	}
	for _, name := range cfg.Only {
		if !slices.Contains([]string{ServerChat, ServerSignaling, ServerDirectory, ServerBlob}, name) {
			return nil, fmt.Errorf("backend: unknown server %q", name)
		}
	}
	if cfg.runs(ServerChat) && !cfg.runs(ServerDirectory) && cfg.DirectoryURL == "" {
		return nil, errors.New("backend: the chat server needs the directory: run both, or give DirectoryURL")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("backend: data directory: %w", err)
	}
	if err := os.Remove(filepath.Join(cfg.DataDir, ProvisioningFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("backend: remove stale %s: %w", ProvisioningFile, err)
	}
	keys, err := LoadOrCreateKeys(cfg.DataDir, cfg.Rand)
	if err != nil {
		return nil, err
	}
	nodes, err := signalingNodes(cfg.SignalingNodes, cfg.PlainSignaling, keys.Signaling.Public)
	if err != nil {
		return nil, err
	}
	if nodes != nil && !cfg.runs(ServerSignaling) {
		return nil, errors.New("backend: signaling nodes need the signaling server in this process (its key is the cluster's)")
	}
	b := &Backend{cfg: cfg, log: cfg.Logger.With("component", "backend"), keys: keys}
	var closers []func() error
	defer func() {
		if err != nil {
			for _, c := range slices.Backward(closers) {
				_ = c()
			}
		}
	}()
	b.file = provisioning.File{Version: provisioning.Version}

	if cfg.runs(ServerDirectory) {
		dc := directory.Config{
			Addr:         cfg.DirectoryAddr,
			DataDir:      filepath.Join(cfg.DataDir, "directory"),
			Database:     cfg.Database,
			Logger:       cfg.Logger,
			Rand:         cfg.Rand,
			Now:          cfg.Now,
			ChallengeKey: keys.DirectoryChallenge,
			ReservedKeys: keys.Public(),
		}
		cfg.Limits.directory(&dc)
		b.directory, err = directory.New(dc)
		if err != nil {
			return nil, fmt.Errorf("backend: %w", err)
		}
		closers = append(closers, b.directory.Close)
		b.file.Directory.URL = b.directory.URL()
	}

	if cfg.runs(ServerBlob) {
		bc := blob.Config{
			Addr:     cfg.BlobAddr,
			DataDir:  filepath.Join(cfg.DataDir, "blob"),
			Database: cfg.Database,
			S3:       cfg.BlobS3,
			Logger:   cfg.Logger,
			Rand:     cfg.Rand,
			Now:      cfg.Now,
		}
		cfg.Limits.blob(&bc)
		b.blob, err = blob.New(bc)
		if err != nil {
			return nil, fmt.Errorf("backend: %w", err)
		}
		closers = append(closers, b.blob.Close)
		b.file.Blob.URL = b.blob.URL()
	}

	if cfg.runs(ServerChat) {
		var lookup dirwire.Lookup = b.directory
		if b.directory == nil {
			if lookup, err = dirclient.New(cfg.DirectoryURL); err != nil {
				return nil, fmt.Errorf("backend: directory URL: %w", err)
			}
		}
		cc := chat.Config{
			Addr:      cfg.ChatAddr,
			DataDir:   filepath.Join(cfg.DataDir, "chat"),
			Database:  cfg.Database,
			Node:      cfg.Node,
			Key:       keys.Chat,
			Directory: lookup,
			Logger:    cfg.Logger,
			Rand:      cfg.Rand,
			Now:       cfg.Now,
		}
		cfg.Limits.chat(&cc)
		b.chat, err = chat.New(cc)
		if err != nil {
			return nil, fmt.Errorf("backend: %w", err)
		}
		closers = append(closers, b.chat.Close)
		b.file.Chat = provisioning.Chat{Address: b.chat.Addr().String(), PublicKey: keys.Chat.Public.String()}
	}

	if cfg.runs(ServerSignaling) {
		var metrics signaling.Metrics
		if cfg.Metrics != nil {
			if metrics, err = cfg.Metrics.Signaling(); err != nil {
				return nil, fmt.Errorf("backend: %w", err)
			}
		}
		sc := signaling.Config{
			Addr:    cfg.SignalingAddr,
			DataDir: filepath.Join(cfg.DataDir, "signaling"),
			Keys:    []cryptobox.KeyPair{keys.Signaling},
			PlainWS: cfg.PlainSignaling,
			Logger:  cfg.Logger,
			Rand:    cfg.Rand,
			Now:     cfg.Now,
			Metrics: metrics,
		}
		cfg.Limits.signaling(&sc)
		b.signaling, err = signaling.New(sc)
		if err != nil {
			return nil, fmt.Errorf("backend: %w", err)
		}
		closers = append(closers, b.signaling.Close)
		b.file.Signaling = &provisioning.Signaling{
			URL:                  b.signaling.URL(),
			PublicKey:            keys.Signaling.Public.String(),
			TLSCertificateSHA256: b.signaling.CertificateSHA256(),
			Nodes:                nodes,
		}
		if nodes != nil {
			b.log.Info("signaling on several nodes", "nodes", len(nodes))
		}
	}

	var exporter admin.Exporter
	if cfg.Metrics != nil {
		exporter = cfg.Metrics.Admin
	}
	b.admin, err = admin.New(admin.Config{
		Addr:         cfg.AdminAddr,
		Logger:       cfg.Logger,
		Metrics:      exporter,
		Provisioning: func() provisioning.File { return b.file },
		Directory:    b.directory,
		Blob:         b.blob,
		Chat:         b.chat,
		Signaling:    b.signaling,
	})
	if err != nil {
		return nil, fmt.Errorf("backend: %w", err)
	}
	b.file.Admin.URL = b.admin.URL()
	b.complete = b.directory != nil && b.blob != nil && b.chat != nil && b.signaling != nil
	return b, nil
}

// signalingNodes turns Config.SignalingNodes into backend.json's nodes (nil
// for none) and checks them as a client will: host:port gets the scheme of
// this backend's signaling server.
func signalingNodes(list []string, plain bool, key cryptobox.PublicKey) ([]provisioning.SignalingNode, error) {
	if len(list) == 0 {
		return nil, nil
	}
	scheme := "wss://"
	if plain {
		scheme = "ws://"
	}
	nodes := make([]provisioning.SignalingNode, 0, len(list))
	for i, raw := range list {
		raw = strings.TrimSpace(raw)
		switch {
		case raw == "":
			return nil, fmt.Errorf("backend: signaling node %d is empty", i)
		case !strings.Contains(raw, "://"):
			if _, _, err := net.SplitHostPort(raw); err != nil {
				return nil, fmt.Errorf("backend: signaling node %d (%q) is neither a ws:// or wss:// URL nor host:port: %w", i, raw, err)
			}
			raw = scheme + raw + "/"
		}
		nodes = append(nodes, provisioning.SignalingNode{URL: raw})
	}
	// The section's own URL does not matter here; the nodes are checked as
	// backend.json will be.
	check := provisioning.Signaling{URL: scheme + "127.0.0.1:1/", PublicKey: key.String(), Nodes: nodes}
	if err := check.Validate(); err != nil {
		return nil, fmt.Errorf("backend: %w", err)
	}
	return nodes, nil
}

// Provisioning is the content of backend.json: where each server listens and
// which keys clients pin.
func (b *Backend) Provisioning() provisioning.File { return b.file }

// Keys are the backend's long-term key pairs.
func (b *Backend) Keys() Keys { return b.keys }

// Directory is the in-process directory server (nil if it does not run here).
func (b *Backend) Directory() *directory.Server { return b.directory }

// Chat is the in-process chat server (nil if it does not run here).
func (b *Backend) Chat() *chat.Server { return b.chat }

// Run writes backend.json (when all servers run here), serves until ctx is
// cancelled, then shuts down in order: first the servers clients talk to,
// then the directory they depend on, so nothing acknowledged is lost. It
// returns the errors of servers that failed.
func (b *Backend) Run(ctx context.Context) error {
	path := filepath.Join(b.cfg.DataDir, ProvisioningFile)
	if b.complete {
		if err := provisioning.Write(path, &b.file); err != nil {
			return fmt.Errorf("backend: %w", err)
		}
		b.log.Info("backend ready", "provisioning", path, "chat", b.file.Chat.Address, "signaling", b.file.Signaling.URL,
			"signaling_nodes", len(b.file.Signaling.Nodes), "directory", b.file.Directory.URL, "blob", b.file.Blob.URL, "admin", b.file.Admin.URL)
	} else {
		b.log.Info("partial backend ready (no backend.json)", "servers", b.cfg.Only, "admin", b.file.Admin.URL)
	}

	// Any server that stops on its own stops everything.
	failed, fail := context.WithCancel(ctx)
	defer fail()
	front, stopFront := context.WithCancel(context.Background())
	back, stopBack := context.WithCancel(context.Background())
	defer stopFront()
	defer stopBack()

	var mu sync.Mutex
	var errs []error
	var frontWG, backWG sync.WaitGroup
	run := func(wg *sync.WaitGroup, c context.Context, name string, fn func(context.Context) error) {
		wg.Go(func() {
			if err := fn(c); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
			}
			fail()
		})
	}
	if b.directory != nil {
		run(&backWG, back, ServerDirectory, b.directory.Run)
	}
	if b.chat != nil {
		run(&frontWG, front, ServerChat, b.chat.Run)
	}
	if b.signaling != nil {
		run(&frontWG, front, ServerSignaling, b.signaling.Run)
	}
	if b.blob != nil {
		run(&frontWG, front, ServerBlob, b.blob.Run)
	}
	run(&frontWG, front, "admin", b.admin.Run)

	<-failed.Done()
	b.log.Info("shutting down")
	stopFront()
	frontWG.Wait()
	stopBack()
	backWG.Wait()
	b.log.Info("shutdown complete")
	return errors.Join(errs...)
}
