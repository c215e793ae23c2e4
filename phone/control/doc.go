// Package control is the virtual phone's HTTP JSON control API, served on
// loopback for QA, scripts and tests (docs/phone.md). Every request carries
// "Authorization: Bearer <token>" (the token kurier-phone serve writes to
// DIR/control.token); the API has no other state than the phone's.
//
//	GET  /v1/identity                        the own identity
//	GET  /v1/contacts                        contacts
//	POST /v1/contacts                        {"id": "ABCD1234"} adds a contact (key from the directory)
//	PATCH /v1/contacts/{id}                  {"first_name": …, "last_name": …} names it (left out: unchanged, "": cleared)
//	GET  /v1/conversations                   conversation summaries
//	GET  /v1/conversations/{id}/messages     messages (?limit=N&before=SEQ)
//	POST /v1/messages                        {"to": ID, "text": …} | {"to": ID, "file": {…}} | {"group": {…}, "text": …}
//	POST /v1/groups                          {"name": …, "members": [ID…]} creates a group
//	GET  /v1/events                          server-sent events: one JSON phone.Event per "data:" line
//
// Errors are {"error": "..."} with a status derived from the phone's
// sentinel errors in one place (statusOf).
package control
