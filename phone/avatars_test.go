package phone

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
	"time"

	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/e2e"
)

// testImage encodes a w×h gradient as PNG or JPEG.
func testImage(t testing.TB, format string, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 128, A: 200})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegSize decodes a JPEG's size.
func jpegSize(t testing.TB, b []byte) (int, int) {
	t.Helper()
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	return cfg.Width, cfg.Height
}

func TestNormalizeAvatar(t *testing.T) {
	t.Parallel()
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	huge := testImage(t, "png", 1, 1)
	// A PNG header claiming 5000×5000 pixels: refused before decoding.
	bigHeader := append([]byte{}, huge...)
	copy(bigHeader[16:24], []byte{0, 0, 0x13, 0x88, 0, 0, 0x13, 0x88})
	binary.BigEndian.PutUint32(bigHeader[29:33], crc32.ChecksumIEEE(bigHeader[12:29]))
	for _, tc := range []struct {
		name string
		in   []byte
		w, h int
		err  error
	}{
		{"png landscape", testImage(t, "png", 1024, 256), 512, 128, nil},
		{"jpeg portrait", testImage(t, "jpeg", 300, 900), 170, 512, nil},
		{"small kept", testImage(t, "png", 40, 30), 40, 30, nil},
		{"one pixel tall", testImage(t, "png", 2000, 1), 512, 1, nil},
		{"empty", nil, 0, 0, ErrImage},
		{"text", []byte("hello, not an image"), 0, 0, ErrImage},
		{"gif", gif, 0, 0, ErrImage},
		{"truncated png", testImage(t, "png", 64, 64)[:60], 0, 0, ErrImage},
		{"too many bytes", make([]byte, AvatarMaxBytes+1), 0, 0, ErrTooLarge},
		{"too many pixels", bigHeader, 0, 0, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := NormalizeAvatar(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w, h := jpegSize(t, out); w != tc.w || h != tc.h {
				t.Fatalf("%d×%d, want %d×%d", w, h, tc.w, tc.h)
			}
		})
	}
}

func TestScaleAvatar(t *testing.T) {
	t.Parallel()
	img, err := NormalizeAvatar(testImage(t, "png", 600, 600))
	if err != nil {
		t.Fatal(err)
	}
	small, err := ScaleAvatar(img, 48)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, small); w != 48 || h != 48 {
		t.Fatalf("%d×%d", w, h)
	}
	same, err := ScaleAvatar(img, 1000)
	if err != nil || !bytes.Equal(same, img) {
		t.Fatalf("a large edge changed the avatar: %v", err)
	}
	if _, err := ScaleAvatar([]byte("x"), 48); !errors.Is(err, ErrImage) {
		t.Fatalf("bad stored avatar: %v", err)
	}
	if _, err := ScaleAvatar(img, 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("edge 0: %v", err)
	}
}

func FuzzNormalizeAvatar(f *testing.F) {
	f.Add(testImage(f, "png", 3, 2))
	f.Add(testImage(f, "jpeg", 2, 3))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := NormalizeAvatar(b)
		if err != nil {
			if !errors.Is(err, ErrImage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		w, h := jpegSize(t, out)
		if w > AvatarEdge || h > AvatarEdge || w < 1 || h < 1 {
			t.Fatalf("%d×%d", w, h)
		}
	})
}

// waitAvatar waits for an avatar event of key.
func (tp *testPhone) waitAvatar(key string) {
	tp.t.Helper()
	tp.wait("avatar "+key, func(e Event) bool { return e.Kind == EventAvatar && e.Conversation == key })
}

func TestProfilePictureDistribution(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	a.start()
	b.start()
	ctx := tctx(t)
	if _, err := a.AddContact(ctx, b.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}

	// Bad input changes nothing and sends nothing.
	if _, err := a.SetProfilePicture(ctx, []byte("not an image")); !errors.Is(err, ErrImage) {
		t.Fatalf("text: %v", err)
	}
	if _, err := a.Avatar(ctx, store.OwnAvatarKey); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("own avatar after a refused image: %v", err)
	}

	img, err := a.SetProfilePicture(ctx, testImage(t, "png", 800, 400))
	if err != nil {
		t.Fatal(err)
	}
	a.waitAvatar(store.OwnAvatarKey)
	if got, err := a.Avatar(ctx, store.OwnAvatarKey); err != nil || !bytes.Equal(got, img) {
		t.Fatalf("own avatar: %v", err)
	}
	b.waitAvatar(store.ContactKey(a.ID()))
	got, err := b.Avatar(ctx, store.ContactKey(a.ID()))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, got); w != 512 || h != 256 {
		t.Fatalf("B stored %d×%d", w, h)
	}

	// It survives a restart.
	b.restart(true)
	if _, err := b.Avatar(ctx, store.ContactKey(a.ID())); err != nil {
		t.Fatalf("after restart: %v", err)
	}

	if err := a.DeleteProfilePicture(ctx); err != nil {
		t.Fatal(err)
	}
	b.waitAvatar(store.ContactKey(a.ID()))
	if _, err := b.Avatar(ctx, store.ContactKey(a.ID())); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := a.Avatar(ctx, store.OwnAvatarKey); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("own after delete: %v", err)
	}
}

// TestReceivedPictureValidated: a contact's blob that is not an image is
// dropped; nothing is stored.
func TestReceivedPictureValidated(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	a.start()
	ctx := tctx(t)
	raw := w.newRaw(t)
	key, _ := cryptobox.RandomSymmetricKey(rand.Reader)
	box := key.Seal(nil, []byte("<script>not a picture</script>"), &fileNonce)
	id, err := a.blobc.Upload(ctx, bytes.NewReader(box))
	if err != nil {
		t.Fatal(err)
	}
	bid, err := e2e.ParseBlobID(id)
	if err != nil {
		t.Fatal(err)
	}
	pic := e2e.SetProfilePicture{BlobID: bid, Size: uint32(len(box)), Key: key}
	raw.send(t, raw.seal(t, a.id, a.PublicKey(), 1, pic))
	deadline := time.Now().Add(testTimeout)
	for !a.logs.contains("picture dropped") {
		if time.Now().After(deadline) {
			t.Fatal("no log line for the dropped picture")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := a.Avatar(ctx, store.ContactKey(raw.id.String())); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a non-image was stored: %v", err)
	}
}

func TestGroupPhoto(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	a.start()
	b.start()
	ctx := tctx(t)
	g, err := a.CreateGroup(ctx, "photo", []string{b.ID()})
	if err != nil {
		t.Fatal(err)
	}
	b.waitGroup("created", func(x store.Group) bool { return x.ID == g.ID })
	if _, err := b.SetGroupPhoto(ctx, g.ID, testImage(t, "png", 10, 10)); !errors.Is(err, ErrNotCreator) {
		t.Fatalf("member set the photo: %v", err)
	}
	if _, err := a.SetGroupPhoto(ctx, g.ID, []byte("nope")); !errors.Is(err, ErrImage) {
		t.Fatalf("bad photo: %v", err)
	}
	if _, err := a.SetGroupPhoto(ctx, g.ID, testImage(t, "jpeg", 64, 64)); err != nil {
		t.Fatal(err)
	}
	b.waitAvatar(g.Key())
	got, err := b.Avatar(ctx, g.Key())
	if err != nil {
		t.Fatal(err)
	}
	if w, h := jpegSize(t, got); w != 64 || h != 64 {
		t.Fatalf("%d×%d", w, h)
	}
	if err := a.DeleteGroupPhoto(ctx, g.ID); err != nil {
		t.Fatal(err)
	}
	b.waitAvatar(g.Key())
	if _, err := b.Avatar(ctx, g.Key()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}
