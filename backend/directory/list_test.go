package directory_test

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/kurier/kurier/backend/directory"
	"github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/protocol/cryptobox"
)

func TestListIdentitiesPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, testListIdentitiesPages)
}

func testListIdentitiesPages(t *testing.T, db func(*directory.Config)) {
	ctx := context.Background()
	challenge, _ := cryptobox.GenerateKeyPair(rand.Reader)
	cfg := directory.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), ChallengeKey: challenge}
	db(&cfg)
	srv, err := directory.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	c, err := client.New(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for range 5 {
		kp, _ := cryptobox.GenerateKeyPair(rand.Reader)
		id, err := c.Create(ctx, kp)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = true
	}
	var got []string
	after := ""
	for {
		page, err := srv.ListIdentities(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d", len(page))
		}
		for _, it := range page {
			got = append(got, it.ID)
			after = it.ID
		}
	}
	if len(got) != len(want) {
		t.Fatalf("listed %v, want %d identities", got, len(want))
	}
	for i, id := range got {
		if !want[id] || (i > 0 && got[i-1] >= id) {
			t.Fatalf("listing %v not the registered IDs in order", got)
		}
	}
}
