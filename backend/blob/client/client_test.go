package client

import (
	"context"
	"errors"
	"testing"
)

func TestNew(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"ftp://x/", "::"} {
		if _, err := New(base); err == nil {
			t.Errorf("New(%q) accepted", base)
		}
	}
	c, err := New("http://127.0.0.1:8082")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.base.JoinPath("0123456789abcdef0123456789abcdef", "done").String(); got != "http://127.0.0.1:8082/0123456789abcdef0123456789abcdef/done" {
		t.Errorf("done URL %s", got)
	}
}

func TestMalformedIDsNeverLeaveTheClient(t *testing.T) {
	t.Parallel()
	c, err := New("http://127.0.0.1:1/")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"", "../upload", "0123456789ABCDEF0123456789ABCDEF"} {
		if _, err := c.Download(ctx, id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Download(%q) = %v", id, err)
		}
		if err := c.Done(ctx, id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Done(%q) = %v", id, err)
		}
	}
}
