// Package admin is the backend's operator and QA server (default
// http://127.0.0.1:8080/):
//
//	GET  /backend.json                      the provisioning file clients read
//	GET  /healthz                           {"status":"ok","servers":{…}}
//	GET  /metrics                           Prometheus text format (with Config.Metrics)
//	GET  /qa/identities?after=ID&limit=N    registered identities, in ID order
//	GET  /qa/identities/{id}/queue          messages queued for an identity
//	POST /qa/identities/{id}/purge          drop an identity's queued messages
//
// It has no authentication of its own: bind it to loopback (the default) or a
// private network only.
package admin
