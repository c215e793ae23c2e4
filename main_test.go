package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/alecthomas/kong"
)

var testBundle = fstest.MapFS{
	"frontend/dist/index.html": {Data: []byte("<!doctype html><title>Kurier</title>")},
}

func TestUIAssets(t *testing.T) {
	t.Parallel()
	sub, err := uiAssets(testBundle)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Open("index.html"); err != nil {
		t.Fatal(err)
	}
	empty := fstest.MapFS{"frontend/dist/.gitkeep": {}}
	if _, err := uiAssets(empty); err == nil || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("unbuilt bundle: %v", err)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	parse := func(args ...string) cli {
		var c cli
		p, err := kong.New(&c, kong.Vars{"version": "test", "default_data": "/default"}, kong.Exit(func(int) {}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Parse(args); err != nil {
			t.Fatalf("parse %v: %v", args, err)
		}
		return c
	}
	c := parse()
	if c.Data != "/default" || c.Web != "" || c.LogLevel != slog.LevelInfo {
		t.Fatalf("defaults: %+v", c)
	}
	c = parse("--data", "/tmp/p", "--web", "127.0.0.1:0", "--log-level", "debug")
	if c.Data != "/tmp/p" || c.Web != "127.0.0.1:0" || c.LogLevel != slog.LevelDebug {
		t.Fatalf("flags: %+v", c)
	}
	if d := defaultDataDir(); !strings.HasSuffix(d, "Kurier") {
		t.Fatalf("default data dir %q", d)
	}
}

// TestRunWebMode starts the real wiring in web mode, fetches the page and
// stops it through the context, as SIGTERM does.
func TestRunWebMode(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	dir := filepath.Join(t.TempDir(), "profile")
	go func() {
		done <- run(ctx, cli{Data: dir, Web: "127.0.0.1:0"}, testBundle, pw, slog.New(slog.DiscardHandler))
		_ = pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no announcement: %v (run: %v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	url := regexp.MustCompile(`http://\S+/`).FindString(line)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunRefusesUnbuiltBundle(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), cli{Data: t.TempDir(), Web: "127.0.0.1:0"}, fstest.MapFS{}, io.Discard, slog.New(slog.DiscardHandler))
	if err == nil {
		t.Fatal("run without a UI bundle succeeded")
	}
}
