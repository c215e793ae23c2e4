// Package backend runs a whole Kurier backend in one process: the directory,
// blob, chat and signaling servers (one package each below this one), their
// long-term keys, the admin server (health, metrics, QA API) and backend.json.
// cmd/kurier-backend is its command line; the desktop's embedded world uses it
// in-process.
package backend
