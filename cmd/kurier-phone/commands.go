package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/bot"
	"github.com/kurier/kurier/phone/control"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/phone/webclient"
)

// commandTimeout bounds the network part of one-shot commands.
const commandTimeout = 30 * time.Second

type initCmd struct {
	Backend  string `help:"backend.json of the backend to register with." type:"existingfile" required:""`
	Nickname string `help:"Nickname sent with messages."`
}

// Run creates the identity.
func (c *initCmd) Run(e *env) error {
	ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
	defer cancel()
	id, err := phone.Init(ctx, e.data, c.Backend, c.Nickname, phone.WithLogger(e.log))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.out, id)
	return nil
}

// open opens the phone of the data directory.
func open(e *env) (*phone.Phone, error) {
	return phone.Open(e.ctx, e.data, phone.WithLogger(e.log))
}

type idCmd struct{}

// Run prints the identity.
func (idCmd) Run(e *env) error {
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	fmt.Fprintf(e.out, "%s\nnickname: %s\nfingerprint: %s\n", p.ID(), p.Nickname(), phone.Fingerprint(p.PublicKey()))
	return nil
}

type contactCmd struct {
	Add    contactAddCmd    `cmd:"" help:"Add a contact by ID (key from the directory)."`
	List   contactListCmd   `cmd:"" help:"List the contacts."`
	Verify contactVerifyCmd `cmd:"" help:"Mark a contact verified after comparing its fingerprint in person."`
	Name   contactNameCmd   `cmd:"" help:"Name a contact (first and last name), or clear its name with --clear."`
}

type contactAddCmd struct {
	ID string `arg:"" help:"The contact's 8-character ID."`
}

// Run adds the contact.
func (c *contactAddCmd) Run(e *env) error {
	if r, ok := findRemote(e.ctx, e.data); ok {
		var ct control.Contact
		if err := r.do(e.ctx, "POST", "/v1/contacts", control.ContactRequest{ID: strings.ToUpper(c.ID)}, &ct); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s level %d fingerprint %s\n", ct.ID, ct.Verification, ct.Fingerprint)
		return nil
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
	defer cancel()
	ct, err := p.AddContact(ctx, strings.ToUpper(c.ID))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s level %d fingerprint %s\n", ct.ID, ct.Verification, phone.Fingerprint(ct.PublicKey))
	return nil
}

type contactListCmd struct{}

// Run lists the contacts.
func (contactListCmd) Run(e *env) error {
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	cs, err := p.Contacts(e.ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tNICKNAME\tLEVEL\tSTATE\tBLOCKED")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%v\n", c.ID, c.DisplayName(), c.Nickname, c.Verification, stateName(c.State), c.Blocked)
	}
	return tw.Flush()
}

func stateName(s store.ContactState) string {
	switch s {
	case store.ContactActive:
		return "active"
	case store.ContactInactive:
		return "inactive"
	case store.ContactRevoked:
		return "revoked"
	}
	return fmt.Sprint(int(s))
}

type contactVerifyCmd struct {
	ID          string `arg:"" help:"The contact's ID."`
	Fingerprint string `arg:"" help:"The fingerprint shown on the contact's phone."`
}

// Run verifies the contact.
func (c *contactVerifyCmd) Run(e *env) error {
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	ct, err := p.VerifyContact(e.ctx, strings.ToUpper(c.ID), c.Fingerprint)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s level %d\n", ct.ID, ct.Verification)
	return nil
}

type contactNameCmd struct {
	ID    string `arg:"" help:"The contact's ID."`
	First string `arg:"" optional:"" help:"First name (at most 256 bytes)."`
	Last  string `arg:"" optional:"" help:"Last name (at most 256 bytes)."`
	Clear bool   `help:"Clear the name: the contact shows as ~nickname, or as its ID, again."`
}

// Run names the contact, through a running serve if there is one (its
// paired desktop then shows the new name at once).
func (c *contactNameCmd) Run(e *env) error {
	id := strings.ToUpper(c.ID)
	if c.Clear == (c.First != "" || c.Last != "") {
		return errors.New("give a name (FIRST [LAST]) or --clear")
	}
	if r, ok := findRemote(e.ctx, e.data); ok {
		var ct control.Contact
		if err := r.do(e.ctx, "PATCH", "/v1/contacts/"+id, control.ContactNameRequest{FirstName: &c.First, LastName: &c.Last}, &ct); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "%s %s\n", ct.ID, ct.DisplayName)
		return nil
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	ct, err := p.SetContactName(e.ctx, id, c.First, c.Last)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%s %s\n", ct.ID, ct.DisplayName())
	return nil
}

// running runs p in the background for f, then stops it.
func running(e *env, p *phone.Phone, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
	defer cancel()
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(rctx) }()
	err := f(ctx)
	stop()
	if rerr := <-done; rerr != nil && err == nil {
		err = rerr
	}
	return err
}

type sendCmd struct {
	ID   string `arg:"" help:"The receiver's ID."`
	Text string `arg:"" help:"The text (at most 6000 bytes)."`
}

// Run sends the text and waits for the server's ack.
func (c *sendCmd) Run(e *env) error {
	if r, ok := findRemote(e.ctx, e.data); ok {
		ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
		defer cancel()
		return sendRemote(ctx, e, r, strings.ToUpper(c.ID), c.Text)
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	return running(e, p, func(ctx context.Context) error {
		m, err := p.SendText(ctx, strings.ToUpper(c.ID), c.Text)
		if err != nil {
			return err
		}
		if err := p.Flush(ctx); err != nil {
			return fmt.Errorf("not acknowledged by the server yet (it stays in the outbox): %w", err)
		}
		fmt.Fprintf(e.out, "sent %016x\n", m.MessageID)
		return nil
	})
}

type inboxCmd struct {
	Sync  bool `help:"Connect first and fetch what the server holds."`
	Limit int  `help:"Messages shown per conversation." default:"20"`
}

// Run prints the conversations.
func (c *inboxCmd) Run(e *env) error {
	if r, ok := findRemote(e.ctx, e.data); ok {
		ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
		defer cancel()
		return inboxRemote(ctx, e, r, c.Limit)
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	if c.Sync {
		if err := running(e, p, func(ctx context.Context) error {
			if err := p.WaitSynced(ctx); err != nil {
				return err
			}
			return p.Flush(ctx)
		}); err != nil {
			return err
		}
	}
	convs, err := p.Store().Conversations(e.ctx)
	if err != nil {
		return err
	}
	for _, cv := range convs {
		fmt.Fprintf(e.out, "== %s (%s, %d messages, %d unread)\n", cv.Key, cv.Kind, cv.Messages, cv.Unread)
		msgs, err := p.Store().Messages(e.ctx, cv.Key, 0, c.Limit)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			dir := "<"
			if m.Outgoing {
				dir = ">"
			}
			body := m.Body
			if !m.DeletedAt.IsZero() {
				body = "(deleted)"
			}
			fmt.Fprintf(e.out, "%s %s %s %-9s %s\n", m.CreatedAt.Local().Format("2006-01-02 15:04:05"), dir, m.Sender, m.State, body)
		}
	}
	return nil
}

type backupCmd struct {
	Export backupExportCmd `cmd:"" help:"Write the identity backup to FILE."`
	Import backupImportCmd `cmd:"" help:"Restore the identity from FILE into an empty data directory."`
}

// backupPassword reads the backup password from the environment.
func backupPassword() (string, error) {
	pw := os.Getenv("KURIER_BACKUP_PASSWORD")
	if pw == "" {
		return "", errors.New("set KURIER_BACKUP_PASSWORD")
	}
	return pw, nil
}

type backupExportCmd struct {
	File string `arg:"" help:"Output file (created with mode 0600)." type:"path"`
}

// Run writes the backup.
func (c *backupExportCmd) Run(e *env) error {
	pw, err := backupPassword()
	if err != nil {
		return err
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	b, err := p.ExportBackup(pw)
	if err != nil {
		return err
	}
	return os.WriteFile(c.File, b, 0o600)
}

type backupImportCmd struct {
	File     string `arg:"" help:"Backup file." type:"existingfile"`
	Backend  string `help:"backend.json of the backend the identity lives on." type:"existingfile" required:""`
	Nickname string `help:"Nickname sent with messages."`
}

// Run restores the identity.
func (c *backupImportCmd) Run(e *env) error {
	pw, err := backupPassword()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
	defer cancel()
	id, err := phone.ImportBackup(ctx, e.data, c.Backend, b, pw, c.Nickname, phone.WithLogger(e.log))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.out, id)
	return nil
}

type serveCmd struct {
	Control string `help:"Serve the HTTP control API on this loopback address (token in DIR/control.token, address in DIR/control.addr)." placeholder:"ADDR"`
	Bot     string `help:"Run a bot: echo (answers with the same content) or chatty (reads, types, answers texts, 1:1 and in groups)." enum:",echo,chatty" default:""`
	// BotIgnore names other bots the bot never answers.
	BotIgnore []string `help:"Threema IDs of other bots that the bot never answers, so that bots sharing a group do not answer each other without end." placeholder:"ID,..." sep:","`
	// LikeAndroid: behave like the Android app towards paired desktops.
	LikeAndroid bool `help:"Behave like the Threema Android app towards paired desktops: the placeholder connection id, no connectionAck, no resume; to test a desktop against the real app."`
	// RelayedData: behave like the iOS app (the Relayed Data task only).
	RelayedData bool `help:"Offer paired desktops only the Relayed Data task, as the Threema iOS app does: the Web protocol goes through the signalling server, chunked, with connectionAck and resume."`
}

// Run serves the phone (and the control API and bot) until the context ends.
func (c *serveCmd) Run(e *env) error {
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	desk := webclient.New(p, webclient.Config{Logger: e.log, LikeAndroid: c.LikeAndroid, RelayedData: c.RelayedData})
	defer func() { _ = desk.Close() }() // before p.Close: it ends the desktop session
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	spawn := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				mu.Unlock()
			}
			cancel() // one part ending ends the others
		}()
	}
	if c.Control != "" {
		srv, ln, err := startControl(e, p, desk, c.Control)
		if err != nil {
			return err
		}
		spawn("control", func(ctx context.Context) error {
			defer func() { _ = os.Remove(filepath.Join(e.data, "control.addr")) }()
			return srv.Serve(ctx, ln)
		})
	}
	switch c.Bot {
	case "echo":
		spawn("bot", func(ctx context.Context) error { return bot.Echo(ctx, p, e.log, bot.IgnoreBots(c.BotIgnore...)) })
	case "chatty":
		spawn("bot", func(ctx context.Context) error {
			return bot.Chatty(ctx, p, e.log, bot.DefaultTypingPause, bot.IgnoreBots(c.BotIgnore...))
		})
	}
	// Paired permanent desktops find the phone again by themselves, also
	// after a restart of this process.
	spawn("desktops", func(ctx context.Context) error {
		desk.KeepConnected(ctx)
		return nil
	})
	e.log.Info("kurier-phone serving", "identity", p.ID())
	spawn("phone", p.Run)
	wg.Wait()
	return errors.Join(errs...)
}

// startControl listens on addr (loopback only) with the token of
// DIR/control.token, creating it (mode 0600) on first use, and writes the
// address it listens on to DIR/control.addr.
func startControl(e *env, p *phone.Phone, desk *webclient.Server, addr string) (*control.Server, net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, nil, fmt.Errorf("control address: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, nil, fmt.Errorf("control address %s is not loopback", addr)
	}
	token, err := controlToken(filepath.Join(e.data, "control.token"))
	if err != nil {
		return nil, nil, err
	}
	srv, err := control.New(p, token, e.log, control.WithDesktops(desk))
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(e.data, "control.addr"), []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
		_ = ln.Close()
		return nil, nil, err
	}
	e.log.Info("control API listening", "addr", ln.Addr().String())
	return srv, ln, nil
}

// controlToken reads the bearer token, creating a random one if needed.
func controlToken(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		if t := strings.TrimSpace(string(b)); len(t) >= 32 {
			return t, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	t := hex.EncodeToString(raw[:])
	if err := os.WriteFile(path, []byte(t+"\n"), 0o600); err != nil {
		return "", err
	}
	return t, nil
}

type reactCmd struct {
	Conversation string `arg:"" help:"The conversation: a contact's ID, or a group's key g:CREATOR:GROUPIDHEX (see inbox)."`
	MessageID    string `arg:"" help:"The message id, 16 hex characters (as send prints it)."`
	Emoji        string `arg:"" help:"The emoji."`
	Withdraw     bool   `help:"Withdraw the reaction instead of applying it."`
}

// Run applies or withdraws the own reaction and waits for the server's ack.
func (c *reactCmd) Run(e *env) error {
	conv := c.Conversation
	if !strings.HasPrefix(conv, "g:") {
		conv = strings.ToUpper(conv)
	}
	id, err := parseHexID(c.MessageID)
	if err != nil {
		return err
	}
	if r, ok := findRemote(e.ctx, e.data); ok {
		ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
		defer cancel()
		var m control.Message
		path := fmt.Sprintf("/v1/conversations/%s/messages/%016x/reactions", conv, id)
		if err := r.do(ctx, "POST", path, control.ReactionRequest{Emoji: c.Emoji, Withdraw: c.Withdraw}, &m); err != nil {
			return err
		}
		printReactions(e, len(m.Reactions), func(i int) (string, string) { return m.Reactions[i].Identity, m.Reactions[i].Emoji })
		return nil
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	return running(e, p, func(ctx context.Context) error {
		m, err := p.React(ctx, conv, id, c.Emoji, c.Withdraw)
		if err != nil {
			return err
		}
		if err := p.Flush(ctx); err != nil {
			return fmt.Errorf("not acknowledged by the server yet (it stays in the outbox): %w", err)
		}
		printReactions(e, len(m.Reactions), func(i int) (string, string) { return m.Reactions[i].Identity, m.Reactions[i].Emoji })
		return nil
	})
}

// printReactions prints a message's reactions, one per line.
func printReactions(e *env, n int, at func(int) (identity, emoji string)) {
	if n == 0 {
		fmt.Fprintln(e.out, "no reactions")
	}
	for i := range n {
		id, emoji := at(i)
		fmt.Fprintf(e.out, "%s %s\n", id, emoji)
	}
}

// parseHexID reads a message id as 16 hex characters.
func parseHexID(s string) (uint64, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 8 {
		return 0, errors.New("the message id is 16 hex characters")
	}
	var id uint64
	for _, x := range b {
		id = id<<8 | uint64(x)
	}
	return id, nil
}
