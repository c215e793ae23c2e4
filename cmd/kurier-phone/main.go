// Command kurier-phone is the virtual phone (package phone) for a person at a
// terminal and for scripts:
//
//	kurier-phone --data DIR init --backend backend.json [--nickname N]
//	kurier-phone --data DIR id
//	kurier-phone --data DIR contact add ID | contact list | contact verify ID FINGERPRINT
//	kurier-phone --data DIR contact name ID FIRST [LAST] | contact name ID --clear
//	kurier-phone --data DIR send ID TEXT
//	kurier-phone --data DIR inbox [--sync]
//	kurier-phone --data DIR backup export FILE | backup import FILE --backend backend.json
//	kurier-phone --data DIR serve [--control ADDR] [--bot echo|chatty] [--like-android | --relayed-data]
//	kurier-phone --data DIR pair QR
//	kurier-phone --data DIR sessions [--revoke ID]
//
// Every command but serve acts directly on the data directory, or through
// the control API of a serve running on it; send and inbox --sync connect
// for as long as they need, and pair without a running serve serves the
// paired desktop until it leaves or SIGINT. serve connects, receives
// and stays up until SIGINT or SIGTERM. Backup passwords are read from the
// KURIER_BACKUP_PASSWORD environment variable.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/kurier/kurier/internal/buildinfo"
)

// cli is the command line.
type cli struct {
	Data     string           `help:"Data directory of the phone." type:"path" required:""`
	LogLevel slog.Level       `help:"Log level: debug, info, warn or error." default:"warn" name:"log-level"`
	Version  kong.VersionFlag `help:"Print the version and exit."`

	Init     initCmd     `cmd:"" help:"Create the identity and register it with the directory."`
	ID       idCmd       `cmd:"" name:"id" help:"Print the own identity and key fingerprint."`
	Contact  contactCmd  `cmd:"" help:"Manage contacts."`
	Send     sendCmd     `cmd:"" help:"Send a text and wait for the server's ack."`
	React    reactCmd    `cmd:"" help:"Apply (or --withdraw) an emoji reaction to a message."`
	Inbox    inboxCmd    `cmd:"" help:"Print the stored conversations and messages."`
	Backup   backupCmd   `cmd:"" help:"Export or import a password-protected identity backup."`
	Serve    serveCmd    `cmd:"" help:"Run the phone until SIGINT or SIGTERM."`
	Pair     pairCmd     `cmd:"" help:"Pair with the desktop showing the QR code (its base64 text)."`
	Sessions sessionsCmd `cmd:"" help:"List (or revoke) the paired desktop sessions."`
}

// env is what every command gets.
type env struct {
	ctx  context.Context
	data string
	log  *slog.Logger
	out  io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kurier-phone:", err)
		if errors.Is(err, context.DeadlineExceeded) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// execute parses args and runs the command.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c cli
	parser, err := kong.New(&c,
		kong.Name("kurier-phone"),
		kong.Description("The Kurier virtual phone: identity, contacts and end-to-end encrypted messages."),
		kong.Vars{"version": buildinfo.Version},
		kong.Writers(stdout, stderr),
	)
	if err != nil {
		return err
	}
	k, err := parser.Parse(args)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.LogLevel}))
	return k.Run(&env{ctx: ctx, data: c.Data, log: log, out: stdout})
}
