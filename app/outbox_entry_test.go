package app

import (
	"encoding/json"
	"testing"
)

// TestOutboxEntryFromBeforeSendAsFile: an entry queued by an older Kurier
// (no "sendAsFile") still decodes, and its image is sent and shown as an
// image; a new entry keeps the choice through its JSON.
func TestOutboxEntryFromBeforeSendAsFile(t *testing.T) {
	t.Parallel()
	old := `{"receiver":{"type":"contact","id":"BOB00001"},"text":"a caption","file":{"name":"a.png","size":3,"mime":"image/png",` +
		`"thumbnail":false,"width":0,"height":0,"duration":0},"data":"AQID","date":1700000000000}`
	var e outboxEntry
	if err := json.Unmarshal([]byte(old), &e); err != nil {
		t.Fatal(err)
	}
	if e.SendAsFile || len(e.Data) != 3 || e.File == nil || e.Text != "a caption" {
		t.Fatalf("old entry decoded as %+v", e)
	}
	if m := e.message("queued-1", "ALICE001"); m.Type != "image" || m.State != StateQueued {
		t.Fatalf("old entry shows as %s (%s), want a queued image", m.Type, m.State)
	}

	e.SendAsFile = true
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back outboxEntry
	if err := json.Unmarshal(b, &back); err != nil || !back.SendAsFile {
		t.Fatalf("sendAsFile lost through JSON: %s, %v", b, err)
	}
	if m := back.message("queued-2", "ALICE001"); m.Type != "file" {
		t.Fatalf("an image queued as a file shows as %s", m.Type)
	}
}

func TestSuggestedName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"photo.jpg":            "photo.jpg",
		"../../etc/passwd":     "passwd",
		`C:\Users\x\notes.txt`: "notes.txt",
		"a:b*c?.png":           "a_b_c_.png",
		"line\nbreak.txt":      "line_break.txt",
		"":                     "file",
		"..":                   "file",
		" . ":                  "file",
		"Bericht März.pdf":     "Bericht März.pdf",
	} {
		if got := suggestedName(in); got != want {
			t.Errorf("suggestedName(%q) = %q, want %q", in, got, want)
		}
	}
}
