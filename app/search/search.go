// Package search is the desktop's full-text index over cached messages: an
// SQLite FTS5 table that lives in memory only. It is rebuilt from the cache
// when the profile opens (after the password unlocks it) and kept up to date
// as messages arrive, so no plaintext index ever reaches the disk, even when
// the cache itself is encrypted. The price is the rebuild at start-up, which
// runs in the background while the conversation list is already usable
// (docs/benchmarks.md has the figures).
package search

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Limits.
const (
	// MaxQueryBytes bounds a search query.
	MaxQueryBytes = 256
	// MaxTerms bounds the words of a query.
	MaxTerms = 16
	// MaxResults bounds one search's hits.
	MaxResults = 200
	// minPrefixRunes is the shortest last word searched as a prefix; a
	// single letter would match nearly every message.
	minPrefixRunes = 2
	// maxExpansion: a longer prefix that starts at most this many indexed
	// words is searched as those words (see expand).
	maxExpansion = 8
	// indexedPrefixRunes is the longest prefix with its own FTS5 prefix index.
	indexedPrefixRunes = 3
)

// Doc is one indexed message.
type Doc struct {
	Type, RID, ID string
	Text          string
}

// Hit is one matching message with a snippet (hits between « and »).
type Hit struct {
	Type, RID, ID string
	Snippet       string
}

// Index is an in-memory full-text index. It is safe for concurrent use.
type Index struct {
	db *sql.DB
}

// New creates an empty index.
func New(ctx context.Context) (*Index, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	db.SetMaxOpenConns(1) // every connection to :memory: is a different database
	for _, q := range []string{
		`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')`,
		`CREATE TABLE doc_keys (k TEXT PRIMARY KEY NOT NULL, doc INTEGER NOT NULL, type TEXT NOT NULL, rid TEXT NOT NULL, id TEXT NOT NULL)`,
		`CREATE INDEX doc_keys_by_doc ON doc_keys (doc)`,
		`CREATE VIRTUAL TABLE docs_vocab USING fts5vocab(docs, 'row')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return &Index{db: db}, nil
}

// Close frees the index.
func (ix *Index) Close() error { return ix.db.Close() }

func key(t, rid, id string) string { return t + "\x00" + rid + "\x00" + id }

// Put adds or replaces documents. Documents with empty text are removed.
func (ix *Index) Put(ctx context.Context, docs []Doc) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, d := range docs {
		k := key(d.Type, d.RID, d.ID)
		if err := deleteKey(ctx, tx, k); err != nil {
			return err
		}
		if strings.TrimSpace(d.Text) == "" {
			continue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO docs (body) VALUES (?)`, d.Text)
		if err != nil {
			return fmt.Errorf("search: put: %w", err)
		}
		row, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("search: put: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doc_keys (k, doc, type, rid, id) VALUES (?, ?, ?, ?, ?)`, k, row, d.Type, d.RID, d.ID); err != nil {
			return fmt.Errorf("search: put: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	return nil
}

func deleteKey(ctx context.Context, tx *sql.Tx, k string) error {
	var row int64
	switch err := tx.QueryRowContext(ctx, `SELECT doc FROM doc_keys WHERE k = ?`, k).Scan(&row); {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return fmt.Errorf("search: delete: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM docs WHERE rowid = ?`, row); err != nil {
		return fmt.Errorf("search: delete: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM doc_keys WHERE k = ?`, k); err != nil {
		return fmt.Errorf("search: delete: %w", err)
	}
	return nil
}

// Delete removes documents.
func (ix *Index) Delete(ctx context.Context, t, rid string, ids ...string) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("search: delete: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, id := range ids {
		if err := deleteKey(ctx, tx, key(t, rid, id)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Clear empties the index.
func (ix *Index) Clear(ctx context.Context) error {
	for _, q := range []string{`DELETE FROM docs`, `DELETE FROM doc_keys`} {
		if _, err := ix.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("search: clear: %w", err)
		}
	}
	return nil
}

// Query turns what a person typed into an FTS5 query: every word must
// occur; the last one (the word being typed) as a prefix, the others whole —
// a prefix term makes FTS5 merge the posting lists of every word it starts,
// which for a frequent word costs tens of milliseconds over a million
// messages, while a whole word is looked up with skipping. FTS5 syntax in
// the input has no effect. It returns "" when nothing searchable is left.
func Query(input string) string {
	if len(input) > MaxQueryBytes {
		input = input[:MaxQueryBytes]
	}
	words := strings.FieldsFunc(input, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > MaxTerms {
		words = words[:MaxTerms]
	}
	parts := make([]string, 0, len(words))
	for i, w := range words {
		q := `"` + w + `"`
		if i == len(words)-1 && utf8.RuneCountInString(w) >= minPrefixRunes {
			q += "*"
		}
		parts = append(parts, q)
	}
	return strings.Join(parts, " AND ")
}

// expand rewrites a trailing prefix term longer than the prefix index
// ("messa"*) as the few words it starts ("message" OR "messages"): FTS5
// answers a prefix by merging the posting lists of all those words first,
// tens of milliseconds for a word in every message, while words are looked
// up directly and the newest hits come first. ASCII only: other words are
// folded by the tokenizer in ways this does not repeat.
func (ix *Index) expand(ctx context.Context, q string) (string, error) {
	i := strings.LastIndex(q, `"`)
	j := strings.LastIndex(q[:max(i, 0)], `"`)
	if i < 0 || j < 0 || !strings.HasSuffix(q, `"*`) {
		return q, nil
	}
	word := strings.ToLower(q[j+1 : i])
	if len(word) <= indexedPrefixRunes || !isASCII(word) {
		return q, nil
	}
	rows, err := ix.db.QueryContext(ctx, `SELECT term FROM docs_vocab WHERE term >= ? AND term < ? LIMIT ?`,
		word, word+"\uffff", maxExpansion+1)
	if err != nil {
		return "", fmt.Errorf("search: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var terms []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", fmt.Errorf("search: %w", err)
		}
		terms = append(terms, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("search: %w", err)
	}
	switch {
	case len(terms) > maxExpansion:
		return q, nil
	case len(terms) == 0:
		return "", nil // no indexed word starts so: nothing can match
	}
	return q[:j] + "(" + strings.Join(terms, " OR ") + ")", nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Search returns up to limit hits for what a person typed, the most
// recently indexed first.
func (ix *Index) Search(ctx context.Context, input string, limit int) ([]Hit, error) {
	q, err := ix.expand(ctx, Query(input))
	if err != nil {
		return nil, err
	}
	if q == "" {
		return nil, nil
	}
	if limit <= 0 || limit > MaxResults {
		limit = MaxResults
	}
	rows, err := ix.db.QueryContext(ctx, `SELECT k.type, k.rid, k.id, snippet(docs, 0, '«', '»', '…', 12)
		FROM docs JOIN doc_keys k ON k.doc = docs.rowid WHERE docs MATCH ? ORDER BY docs.rowid DESC LIMIT ?`, q, limit)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.Type, &h.RID, &h.ID, &h.Snippet); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Count reports the number of indexed documents.
func (ix *Index) Count(ctx context.Context) (int, error) {
	var n int
	err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM doc_keys`).Scan(&n)
	return n, err
}
