package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/kurier/kurier/phone/control"
	"github.com/kurier/kurier/phone/webclient"
)

type pairCmd struct {
	QR string `arg:"" help:"The pairing code's text (base64), as the desktop shows it."`
}

// Run pairs through the running serve, or pairs here and serves the
// desktop until it leaves or the command is interrupted.
func (c *pairCmd) Run(e *env) error {
	if r, ok := findRemote(e.ctx, e.data); ok {
		ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
		defer cancel()
		var info webclient.SessionInfo
		if err := r.do(ctx, "POST", "/v1/pair", control.PairRequest{QR: c.QR}, &info); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "paired %s (permanent: %v)\n", info.ID, info.Permanent)
		return nil
	}
	p, err := open(e)
	if err != nil {
		return err
	}
	defer func() { _ = p.Close() }()
	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	desk := webclient.New(p, webclient.Config{Logger: e.log})
	pctx, pcancel := context.WithTimeout(ctx, commandTimeout)
	sess, err := desk.Pair(pctx, c.QR)
	pcancel()
	if err == nil {
		fmt.Fprintf(e.out, "paired %s; serving it until it leaves (Ctrl-C ends)\n", sess.ID())
		select {
		case <-sess.Done():
		case <-ctx.Done():
		}
	}
	_ = desk.Close()
	cancel()
	if rerr := <-done; rerr != nil && err == nil {
		err = rerr
	}
	return err
}

type sessionsCmd struct {
	Revoke string `help:"Revoke the session with this id." placeholder:"ID"`
}

// Run lists or revokes desktop sessions.
func (c *sessionsCmd) Run(e *env) error {
	ctx, cancel := context.WithTimeout(e.ctx, commandTimeout)
	defer cancel()
	var list []webclient.SessionInfo
	if r, ok := findRemote(ctx, e.data); ok {
		if c.Revoke != "" {
			return r.do(ctx, "DELETE", "/v1/sessions/"+c.Revoke, nil, nil)
		}
		if err := r.do(ctx, "GET", "/v1/sessions", nil, &list); err != nil {
			return err
		}
	} else {
		p, err := open(e)
		if err != nil {
			return err
		}
		defer func() { _ = p.Close() }()
		desk := webclient.New(p, webclient.Config{Logger: e.log})
		defer func() { _ = desk.Close() }()
		if c.Revoke != "" {
			return desk.Revoke(ctx, c.Revoke)
		}
		if list, err = desk.Sessions(ctx); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERMANENT\tACTIVE\tCREATED\tLAST SEEN")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%v\t%v\t%s\t%s\n", s.ID, s.Permanent, s.Active,
			s.CreatedAt.Local().Format("2006-01-02 15:04"), s.LastSeen.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}
