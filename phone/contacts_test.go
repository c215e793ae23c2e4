package phone

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone/store"
)

func TestContactsLifecycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "A"), w.newPhone(t, "B")
	ctx := tctx(t)

	if _, err := a.AddContact(ctx, "NOTVALID!"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("invalid ID: %v", err)
	}
	if _, err := a.AddContact(ctx, "ZZZZZZZZ"); !errors.Is(err, ErrUnknownIdentity) {
		t.Fatalf("unknown ID: %v", err)
	}
	if _, err := a.AddContact(ctx, a.ID()); !errors.Is(err, ErrSelf) {
		t.Fatalf("self: %v", err)
	}
	c, err := a.AddContact(ctx, b.ID())
	if err != nil || c.Verification != store.VerificationDirectory || !c.PublicKey.Equal(b.PublicKey()) || c.FeatureMask != Features {
		t.Fatalf("%+v %v", c, err)
	}
	if c, err = a.SetContactName(ctx, b.ID(), "Bob", ""); err != nil || c.Name() != "Bob" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := a.VerifyContact(ctx, b.ID(), Fingerprint(a.PublicKey())); !errors.Is(err, ErrFingerprint) {
		t.Fatalf("wrong fingerprint: %v", err)
	}
	if c, err = a.VerifyContact(ctx, b.ID(), Fingerprint(b.PublicKey())); err != nil || c.Verification != store.VerificationInPerson {
		t.Fatalf("%+v %v", c, err)
	}
	if c, err = a.BlockContact(ctx, b.ID(), true); err != nil || !c.Blocked {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := a.SendText(ctx, b.ID(), "x"); !errors.Is(err, ErrBlocked) {
		t.Fatalf("send to blocked: %v", err)
	}
	if _, err = a.BlockContact(ctx, b.ID(), false); err != nil {
		t.Fatal(err)
	}

	// Discovery by hashed e-mail and phone number: level 2.
	d := w.newPhone(t, "D")
	if err := d.LinkEmail(ctx, "dora@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := b.LinkPhone(ctx, "+41791234567"); err != nil {
		t.Fatal(err)
	}
	found, err := a.DiscoverContacts(ctx, []string{"  Dora@Example.org "}, []string{"+41 79 123 45 67"})
	if err != nil || len(found) != 2 {
		t.Fatalf("discovered %+v %v", found, err)
	}
	for _, f := range found {
		want := store.VerificationMatched
		if f.ID == b.ID() {
			want = store.VerificationInPerson // already verified; never lowered
		}
		if f.Verification != want {
			t.Fatalf("%s at level %d", f.ID, f.Verification)
		}
	}

	// Revocation: the directory reports state 2, the contact is marked and
	// no longer written to.
	dc, err := dirclient.New(w.b.Provisioning().Directory.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := dc.Revoke(ctx, d.ID(), d.Phone.self.Key); err != nil {
		t.Fatal(err)
	}
	if err := a.RefreshContacts(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err = a.Store().Contact(ctx, d.ID()); err != nil || c.State != store.ContactRevoked {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := a.SendText(ctx, d.ID(), "x"); !errors.Is(err, ErrRevoked) {
		t.Fatalf("send to revoked: %v", err)
	}
}

// TestContactNames: a contact added by ID is shown by its ID, then by the
// nickname its first message carries ("~Bob", announced with an
// EventContact before the message), then by the name the user gives it;
// clearing the name shows the nickname again.
func TestContactNames(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, b := w.newPhone(t, "Alice"), w.newPhone(t, "Bob")
	a.start()
	b.start()
	ctx := tctx(t)
	c, err := a.AddContact(ctx, b.ID())
	if err != nil || c.DisplayName() != b.ID() || c.Nickname != "" {
		t.Fatalf("added by ID: %+v, %v", c, err)
	}
	if _, err := b.AddContact(ctx, a.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendText(ctx, a.ID(), "hi, it's Bob"); err != nil {
		t.Fatal(err)
	}
	e := a.wait("the contact with its nickname", func(e Event) bool {
		return e.Kind == EventContact && e.Contact != nil && e.Contact.Nickname != "" || e.Kind == EventMessage
	})
	if e.Kind != EventContact || e.Contact == nil || e.Contact.Nickname != "Bob" || e.Contact.DisplayName() != "~Bob" {
		t.Fatalf("first event after Bob's message: %+v", e)
	}
	a.waitMessage(b.ID())

	if c, err = a.SetContactName(ctx, b.ID(), "  Bob ", " Example"); err != nil || c.FirstName != "Bob" || c.LastName != "Example" ||
		c.DisplayName() != "Bob Example" || c.Nickname != "Bob" {
		t.Fatalf("named: %+v, %v", c, err)
	}
	a.wait("the renamed contact", func(e Event) bool {
		return e.Kind == EventContact && e.Contact != nil && e.Contact.DisplayName() == "Bob Example"
	})
	for _, bad := range [][2]string{{strings.Repeat("x", MaxNameBytes+1), ""}, {"", strings.Repeat("ä", MaxNameBytes/2+1)},
		{"Bob\nEve", ""}, {"\xff", ""}} {
		if _, err := a.SetContactName(ctx, b.ID(), bad[0], bad[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("name %q %q: %v", bad[0], bad[1], err)
		}
	}
	if _, err := a.SetContactName(ctx, b.ID(), strings.Repeat("x", MaxNameBytes), strings.Repeat("y", MaxNameBytes)); err != nil {
		t.Fatalf("names of the longest length: %v", err)
	}
	if _, err := a.SetContactName(ctx, "ZZZZZZZZ", "Nobody", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("name of no contact: %v", err)
	}
	if c, err = a.SetContactName(ctx, b.ID(), " ", ""); err != nil || c.Name() != "" || c.DisplayName() != "~Bob" {
		t.Fatalf("name cleared: %+v, %v", c, err)
	}
}

func TestCleanNickname(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Bob":                         "Bob",
		"  Bob\n":                     "Bob",
		"B\x00o\u0085b":               "Bob",
		strings.Repeat("a", 40):       strings.Repeat("a", MaxNicknameBytes),
		strings.Repeat("a", 31) + "ä": strings.Repeat("a", 31), // no half character
		"\t":                          "",
	} {
		if got := cleanNickname(in); got != want {
			t.Errorf("cleanNickname(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackupExportImport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	ctx := tctx(t)
	backup, err := a.ExportBackup("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if len(backup) != backupLen {
		t.Fatalf("backup of %d bytes", len(backup))
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := ImportBackup(ctx, dir, w.provPath, backup, "wrong", "A2"); !errors.Is(err, ErrBackupPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	id, err := ImportBackup(ctx, dir, w.provPath, backup, "correct horse", "A2")
	if err != nil || id != a.ID() {
		t.Fatalf("import: %s %v", id, err)
	}
	p, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()
	if p.ID() != a.ID() || !p.PublicKey().Equal(a.PublicKey()) {
		t.Fatal("restored identity differs")
	}
	if _, err := ImportBackup(ctx, dir, w.provPath, backup, "correct horse", "A2"); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("second import: %v", err)
	}
	if _, err := Init(ctx, dir, w.provPath, "x"); !errors.Is(err, ErrAlreadyInitialized) {
		t.Fatalf("init over an identity: %v", err)
	}
	if _, err := Open(ctx, t.TempDir()); !errors.Is(err, ErrNotInitialized) {
		t.Fatalf("open empty: %v", err)
	}
}

func TestEditAndDeleteNeedTheFeatureMask(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.newPhone(t, "A")
	x := w.newRaw(t) // announces no features
	ctx := tctx(t)
	m, err := a.SendText(ctx, x.id.String(), "typo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.EditMessage(ctx, x.id.String(), m.MessageID, "fixed"); !errors.Is(err, ErrFeatureUnsupported) {
		t.Fatalf("edit: %v", err)
	}
	if err := a.DeleteMessage(ctx, x.id.String(), m.MessageID); !errors.Is(err, ErrFeatureUnsupported) {
		t.Fatalf("delete: %v", err)
	}
	if err := a.SendTyping(ctx, x.id.String(), true); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("typing while offline: %v", err)
	}
}
