package client

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kurier/kurier/protocol/blob"
)

// maxErrorBody bounds the error text read from a failed answer.
const maxErrorBody = 4 << 10

// Client talks to one blob server. It is safe for concurrent use.
type Client struct {
	base *url.URL
	http *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client use hc. The default has no overall
// timeout (uploads may be long); pass a context deadline instead.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.http = hc }
}

// New returns a client for the blob server at baseURL (e.g.
// "http://127.0.0.1:8082/").
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("blob client: base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("blob client: base URL %q is not http(s)", baseURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	c := &Client{base: u, http: &http.Client{}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Upload streams r to the server as the multipart field "blob" and returns
// the new blob id (32 lowercase hex chars). The body is produced through a
// pipe as it is sent, never buffered whole; r is not read after Upload
// returns.
func (c *Client) Upload(ctx context.Context, r io.Reader) (string, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	written := make(chan struct{})
	go func() {
		defer close(written)
		part, err := mw.CreateFormFile(blob.FormField, "blob.bin")
		if err == nil {
			_, err = io.Copy(part, r)
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath(blob.UploadPath).String(), pr)
	if err != nil {
		_ = pr.CloseWithError(err)
		<-written
		return "", fmt.Errorf("blob client: upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	// Stop the writer goroutine if the request ended before reading it all,
	// and wait for it: r is not read after Upload returns.
	_ = pr.CloseWithError(io.ErrClosedPipe)
	<-written
	if err != nil {
		return "", fmt.Errorf("blob client: upload: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if err := statusError(resp, http.StatusOK); err != nil {
		return "", fmt.Errorf("blob client: upload: %w", err)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if err != nil {
		return "", fmt.Errorf("blob client: upload: %w", err)
	}
	id := strings.TrimSpace(string(body))
	if _, err := blob.ParseID(id); err != nil {
		return "", fmt.Errorf("blob client: upload: %w: %w", ErrUnexpectedResponse, err)
	}
	return id, nil
}

// Download opens blob id for streaming; the caller closes the reader.
func (c *Client) Download(ctx context.Context, id string) (io.ReadCloser, error) {
	if _, err := blob.ParseID(id); err != nil {
		return nil, fmt.Errorf("blob client: download: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.JoinPath(id).String(), nil)
	if err != nil {
		return nil, fmt.Errorf("blob client: download: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("blob client: download: %w", err)
	}
	if err := statusError(resp, http.StatusOK); err != nil {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("blob client: download: %w", err)
	}
	return resp.Body, nil
}

// Done tells the server the blob was received, so it may delete it.
func (c *Client) Done(ctx context.Context, id string) error {
	if _, err := blob.ParseID(id); err != nil {
		return fmt.Errorf("blob client: done: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.JoinPath(id, blob.DonePath).String(), nil)
	if err != nil {
		return fmt.Errorf("blob client: done: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("blob client: done: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if err := statusError(resp, http.StatusNoContent); err != nil {
		return fmt.Errorf("blob client: done: %w", err)
	}
	return nil
}

// statusError maps an answer other than want to an error.
func statusError(resp *http.Response, want int) error {
	if resp.StatusCode == want {
		return nil
	}
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	text := strings.TrimSpace(string(msg))
	switch resp.StatusCode {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return &RateLimitError{RetryAfter: time.Duration(secs) * time.Second}
	case http.StatusInsufficientStorage:
		return ErrFull
	}
	return fmt.Errorf("%w: HTTP %d: %s", ErrUnexpectedResponse, resp.StatusCode, text)
}
