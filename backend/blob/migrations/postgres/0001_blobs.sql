-- Blobs on PostgreSQL, which several blob nodes may share (issue 12). A
-- blob's bytes are rows of blob_chunks; see doc.go for why rows of 8000
-- bytes, and not large objects.

-- One row per upload: in progress (no reader sees it) while id is NULL, a
-- blob once committed under its id.
CREATE TABLE blob_objects (
    key         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          BYTEA       CHECK (octet_length(id) = 16),
    size        BIGINT      NOT NULL DEFAULT 0 CHECK (size >= 0),
    -- Every chunk but the last holds chunk_size bytes: a reader finds an
    -- offset's chunk without reading the others.
    chunk_size  INTEGER     NOT NULL CHECK (chunk_size > 0),
    -- The committing node's (injected) clock; drives retention.
    uploaded_at TIMESTAMPTZ,
    -- The database's clock, moved on with every chunk written: an upload
    -- that stops moving was abandoned by a crashed node.
    touched_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT blob_objects_id_key UNIQUE (id),
    CHECK ((id IS NULL) = (uploaded_at IS NULL))
);

CREATE INDEX blob_objects_uploaded_at ON blob_objects (uploaded_at) WHERE id IS NOT NULL;
CREATE INDEX blob_objects_abandoned ON blob_objects (touched_at) WHERE id IS NULL;

-- A blob's bytes, in order of n, deleted with their blob_objects row.
CREATE TABLE blob_chunks (
    key  BIGINT  NOT NULL REFERENCES blob_objects (key) ON DELETE CASCADE,
    n    INTEGER NOT NULL CHECK (n >= 0),
    data BYTEA   NOT NULL,
    PRIMARY KEY (key, n)
);

-- A chunk (at most 8000 bytes) stays in its row, one row a page: never
-- TOASTed (cut into 2 KB pieces in another table) nor compressed
-- (ciphertext does not compress).
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE PLAIN;
