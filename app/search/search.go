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
		`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE TABLE doc_keys (k TEXT PRIMARY KEY NOT NULL, doc INTEGER NOT NULL, type TEXT NOT NULL, rid TEXT NOT NULL, id TEXT NOT NULL)`,
		`CREATE INDEX doc_keys_by_doc ON doc_keys (doc)`,
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
// occur, each as a prefix; FTS5 syntax in the input has no effect. It
// returns "" when nothing searchable is left.
func Query(input string) string {
	if len(input) > MaxQueryBytes {
		input = input[:MaxQueryBytes]
	}
	words := strings.FieldsFunc(input, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	if len(words) > MaxTerms {
		words = words[:MaxTerms]
	}
	parts := make([]string, 0, len(words))
	for _, w := range words {
		parts = append(parts, `"`+w+`"*`)
	}
	return strings.Join(parts, " ")
}

// Search returns up to limit hits for what a person typed, the most
// recently indexed first.
func (ix *Index) Search(ctx context.Context, input string, limit int) ([]Hit, error) {
	q := Query(input)
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
