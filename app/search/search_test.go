package search

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestIndexPutSearchDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, err := New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ix.Close() }()
	docs := []Doc{
		{Type: "contact", RID: "ECHOECHO", ID: "1", Text: "Grüße aus München"},
		{Type: "contact", RID: "ECHOECHO", ID: "2", Text: "see you tomorrow"},
		{Type: "group", RID: "g1", ID: "1", Text: "tomorrow's meeting moved"},
	}
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		"munchen":          {"ECHOECHO/1"},
		"GRÜSSE":           nil, // ß is not folded to ss by unicode61
		"grü":              {"ECHOECHO/1"},
		"tomorrow":         {"g1/1", "ECHOECHO/2"},
		"tomorrow meeting": {"g1/1"},
		"tomo":             {"g1/1", "ECHOECHO/2"}, // a longer prefix, expanded to the words it starts
		"meeting TOMO":     {"g1/1"},
		"xyzw":             nil,
		"see y":            nil, // a single letter is a whole word, not a prefix
		`"tomorrow" OR x*`: nil, // syntax is not interpreted: every word must occur
		"":                 nil,
		"***":              nil,
	} {
		hits, err := ix.Search(ctx, q, 10)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.RID+"/"+h.ID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
	hits, _ := ix.Search(ctx, "munchen", 1)
	if len(hits) != 1 || !strings.Contains(hits[0].Snippet, "«München»") {
		t.Fatalf("snippet: %+v", hits)
	}
	// Replacing a document and deleting one.
	if err := ix.Put(ctx, []Doc{{Type: "contact", RID: "ECHOECHO", ID: "2", Text: "edited text"}}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "group", "g1", "1"); err != nil {
		t.Fatal(err)
	}
	if hits, _ := ix.Search(ctx, "tomorrow", 10); len(hits) != 0 {
		t.Fatalf("stale hits: %+v", hits)
	}
	if n, _ := ix.Count(ctx); n != 2 {
		t.Fatalf("count %d", n)
	}
	if err := ix.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(ctx); n != 0 {
		t.Fatalf("count after clear %d", n)
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"hello world", `"a" OR b*`, "NEAR(a b)", "x:y", "-a", "^", strings.Repeat("a ", 100)} {
		f.Add(s)
	}
	ix, err := New(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	if err := ix.Put(context.Background(), []Doc{{Type: "contact", RID: "A", ID: "1", Text: "hello world"}}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, input string) {
		// Whatever a person types, the query is valid FTS5.
		if _, err := ix.Search(context.Background(), input, 5); err != nil {
			t.Fatalf("Search(%q): %v (query %q)", input, err, Query(input))
		}
	})
}

// BenchmarkSearch1M searches an index of 1,000,000 messages (built once, not timed).
func BenchmarkSearch1M(b *testing.B) {
	ctx := context.Background()
	ix, err := New(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = ix.Close() }()
	words := strings.Fields("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu")
	const total, batch = 1_000_000, 10_000
	for i := 0; i < total; i += batch {
		docs := make([]Doc, 0, batch)
		for j := i; j < i+batch; j++ {
			text := fmt.Sprintf("%s %s %s message %d", words[j%len(words)], words[(j/7)%len(words)], words[(j/131)%len(words)], j)
			docs = append(docs, Doc{Type: "contact", RID: fmt.Sprintf("PEER%04d", j%1000), ID: fmt.Sprint(j), Text: text})
		}
		if err := ix.Put(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{"zulu", "alpha tango", "message 99999", "me", "mes", "messa"} {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				hits, err := ix.Search(ctx, q, 50)
				if err != nil || len(hits) == 0 {
					b.Fatalf("%v, %d hits", err, len(hits))
				}
			}
		})
	}
}
