package control

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
	"github.com/kurier/kurier/phone/store"
)

// rawCall sends body as it is and returns the status, content type and body.
func rawCall(t *testing.T, method, url string, body []byte) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAvatarAPI(t *testing.T) {
	t.Parallel()
	bj := phonetest.Backend(t)
	a, _ := phonetest.Phone(t, bj, "A")
	b, bev := phonetest.Phone(t, bj, "B")
	url := api(t, a)
	ctx := t.Context()
	phonetest.Befriend(t, a, b)

	if st, _, _ := rawCall(t, "GET", url+"/v1/profile/avatar", nil); st != http.StatusNotFound {
		t.Fatalf("no avatar yet: %d", st)
	}
	for _, tc := range []struct {
		name string
		body []byte
		want int
		msg  string
	}{
		{"text", []byte("hello"), http.StatusUnsupportedMediaType, "not a JPEG or PNG image"},
		{"empty", nil, http.StatusUnsupportedMediaType, "not a JPEG or PNG image"},
		{"too big", make([]byte, phone.AvatarMaxBytes+1), http.StatusRequestEntityTooLarge, "image too large"},
	} {
		st, _, body := rawCall(t, "PUT", url+"/v1/profile/avatar", tc.body)
		var e ErrorResponse
		if st != tc.want || json.Unmarshal(body, &e) != nil || !strings.Contains(e.Error, tc.msg) {
			t.Fatalf("%s: %d %s", tc.name, st, body)
		}
	}

	st, ct, body := rawCall(t, "PUT", url+"/v1/profile/avatar", pngImage(t, 2000, 1000))
	if st != http.StatusOK || ct != "image/jpeg" {
		t.Fatalf("set: %d %s %s", st, ct, body)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
	if err != nil || cfg.Width != 512 || cfg.Height != 256 {
		t.Fatalf("stored %dx%d: %v", cfg.Width, cfg.Height, err)
	}
	if st, _, got := rawCall(t, "GET", url+"/v1/profile/avatar", nil); st != http.StatusOK || !bytes.Equal(got, body) {
		t.Fatalf("get: %d", st)
	}
	phonetest.Wait(t, bev, "picture at B", func(e phone.Event) bool {
		return e.Kind == phone.EventAvatar && e.Conversation == store.ContactKey(a.ID())
	})

	// B's picture, read on A through the contact route.
	if _, err := b.SetProfilePicture(ctx, pngImage(t, 10, 10)); err != nil {
		t.Fatal(err)
	}
	got := http.StatusNotFound
	for end := time.Now().Add(phonetest.Timeout); got != http.StatusOK && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		got, _, _ = rawCall(t, "GET", url+"/v1/contacts/"+b.ID()+"/avatar", nil)
	}
	if got != http.StatusOK {
		t.Fatalf("B's picture never reached A: %d", got)
	}

	// Group photo: only for own groups; readable by creator and id.
	g, err := a.CreateGroup(ctx, "g", []string{b.ID()})
	if err != nil {
		t.Fatal(err)
	}
	gid := fmt.Sprintf("%016x", g.ID)
	if st, _, _ := rawCall(t, "PUT", url+"/v1/groups/"+gid+"/avatar", pngImage(t, 20, 20)); st != http.StatusOK {
		t.Fatalf("group photo: %d", st)
	}
	if st, _, _ := rawCall(t, "GET", url+"/v1/groups/"+a.ID()+"/"+gid+"/avatar", nil); st != http.StatusOK {
		t.Fatalf("get group photo: %d", st)
	}
	if st, _, _ := rawCall(t, "PUT", url+"/v1/groups/0000000000000001/avatar", pngImage(t, 20, 20)); st != http.StatusConflict {
		t.Fatalf("photo of a foreign group: %d", st)
	}
	if st, _, _ := rawCall(t, "PUT", url+"/v1/groups/xyz/avatar", pngImage(t, 20, 20)); st != http.StatusBadRequest {
		t.Fatalf("bad group id: %d", st)
	}
	if st, _, _ := rawCall(t, "DELETE", url+"/v1/groups/"+gid+"/avatar", nil); st != http.StatusNoContent {
		t.Fatalf("delete group photo: %d", st)
	}

	if st, _, _ := rawCall(t, "DELETE", url+"/v1/profile/avatar", nil); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	if st, _, _ := rawCall(t, "GET", url+"/v1/profile/avatar", nil); st != http.StatusNotFound {
		t.Fatalf("after delete: %d", st)
	}
	phonetest.Wait(t, bev, "picture removed at B", func(e phone.Event) bool {
		return e.Kind == phone.EventAvatar && e.Conversation == store.ContactKey(a.ID())
	})
	if _, err := b.Avatar(ctx, store.ContactKey(a.ID())); err == nil {
		t.Fatal("B still has A's picture")
	}
}
