// Command kurier-backend runs a whole Kurier backend on one machine: the chat,
// signaling, directory and blob servers and the admin server (health, metrics,
// QA API). On first start it creates the server keys in --data; once every
// server listens it writes DIR/backend.json, which the virtual phone and the
// desktop read (`--backend DIR/backend.json`).
//
// Every flag can also be set by an environment variable (KURIER_BACKEND_*, see
// --help); the systemd unit of the Debian package reads them from
// /etc/kurier/backend.env.
//
// With --only it runs a subset, e.g. `kurier-backend --only signaling`; a chat
// server without the directory in the same process looks identities up over
// HTTP (--directory-url).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/kurier/kurier/backend"
	"github.com/kurier/kurier/backend/metrics"
	"github.com/kurier/kurier/internal/buildinfo"
)

// cli is the command line.
type cli struct {
	Data           string           `help:"Data directory: keys, stores, backend.json." type:"path" default:"kurier-backend-data" env:"KURIER_BACKEND_DATA"`
	Database       string           `help:"PostgreSQL database (postgres://user@host:port/db) for the chat queue, the directory and the blobs, shared by several nodes; without it, SQLite and files in the data directory." placeholder:"URL" env:"KURIER_DATABASE_URL"`
	BlobS3         string           `help:"S3 bucket for the blobs instead of --database or the data directory: s3://ACCESS:SECRET@host[:port]/bucket[?secure=false][&region=NAME] (keys percent-encoded; HTTPS unless secure=false; the bucket must exist). It holds the secret key: set it in the environment, not on the command line, where ps shows it." name:"blob-s3" placeholder:"URL" env:"KURIER_BLOB_S3"`
	Node           string           `help:"This node's name among the nodes sharing --database (logs, the chat cluster); default: a random name." placeholder:"NAME" env:"KURIER_BACKEND_NODE"`
	Chat           string           `help:"Chat server (CSP over TCP) listen address." default:"${chat}" placeholder:"ADDR" env:"KURIER_BACKEND_CHAT"`
	Signaling      string           `help:"Signaling server (SaltyRTC over WebSocket) listen address." default:"${signaling}" placeholder:"ADDR" env:"KURIER_BACKEND_SIGNALING"`
	Directory      string           `help:"Directory server (HTTP) listen address." default:"${directory}" placeholder:"ADDR" env:"KURIER_BACKEND_DIRECTORY"`
	Blob           string           `help:"Blob server (HTTP) listen address." default:"${blob}" placeholder:"ADDR" env:"KURIER_BACKEND_BLOB"`
	Admin          string           `help:"Admin server (backend.json, health, metrics, QA API) listen address." default:"${admin}" placeholder:"ADDR" env:"KURIER_BACKEND_ADMIN"`
	Only           []string         `help:"Run only these servers (chat, signaling, directory, blob); the admin server always runs." enum:"chat,signaling,directory,blob" sep:"," env:"KURIER_BACKEND_ONLY"`
	DirectoryURL   string           `help:"With --only chat and no local directory: the directory's base URL." name:"directory-url" placeholder:"URL" env:"KURIER_BACKEND_DIRECTORY_URL"`
	PlainSignaling bool             `help:"Serve signaling as plain ws:// instead of wss:// with a self-signed certificate." name:"plain-signaling" env:"KURIER_BACKEND_PLAIN_SIGNALING"`
	SignalingNodes []string         `help:"Signaling nodes of a cluster, in one order for the whole cluster (ws:// or wss:// URLs, or host:port with this server's scheme); backend.json lists them and a desktop with key K pairs through node K[0] mod N. Nodes share this data directory's signaling key and certificate; there is no relay between them." name:"signaling-nodes" sep:"," placeholder:"URL" env:"KURIER_SIGNALING_NODES"`
	LogLevel       slog.Level       `help:"Log level: debug, info, warn or error." default:"info" name:"log-level" env:"KURIER_BACKEND_LOG_LEVEL"`
	Version        kong.VersionFlag `help:"Print the version and exit."`
	Limits         limitFlags       `embed:""`
}

func main() {
	var c cli
	kong.Parse(&c,
		kong.Name("kurier-backend"),
		kong.Description("Runs the Kurier backend: chat, signaling, directory, blob and admin servers."),
		kong.Vars{
			"version":   buildinfo.Version,
			"chat":      backend.DefaultChatAddr,
			"signaling": backend.DefaultSignalingAddr,
			"directory": backend.DefaultDirectoryAddr,
			"blob":      backend.DefaultBlobAddr,
			"admin":     backend.DefaultAdminAddr,
		},
	)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: c.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, c, log)
	stop()
	if err != nil {
		log.Error("kurier-backend failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c cli, log *slog.Logger) error {
	b, err := backend.New(backend.Config{
		DataDir:        c.Data,
		Database:       c.Database,
		BlobS3:         c.BlobS3,
		Node:           c.Node,
		ChatAddr:       c.Chat,
		SignalingAddr:  c.Signaling,
		DirectoryAddr:  c.Directory,
		BlobAddr:       c.Blob,
		AdminAddr:      c.Admin,
		Only:           c.Only,
		DirectoryURL:   c.DirectoryURL,
		PlainSignaling: c.PlainSignaling,
		SignalingNodes: c.SignalingNodes,
		Limits:         c.Limits.limits(),
		Metrics:        metrics.New(),
		Logger:         log,
	})
	if err != nil {
		return fmt.Errorf("kurier-backend: %w", err)
	}
	log.Info("starting", "version", buildinfo.Version, "data", c.Data, "open_files_limit", openFilesLimit())
	return b.Run(ctx)
}
