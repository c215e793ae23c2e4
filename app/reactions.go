package app

import (
	"errors"
	"fmt"
	"unicode/utf8"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// The reactions every Threema app understands: agree and disagree.
const (
	ThumbsUp   = "👍"
	ThumbsDown = "👎"
)

// ErrReactionNotSupported: the phone takes only 👍 and 👎 as reactions.
var ErrReactionNotSupported = errors.New("the phone takes only 👍 and 👎 as reactions")

// React adds the user's emoji reaction to a message (withdraw: takes it
// back). The phone sends it to the conversation and pushes the message
// with its new reactions. A phone with Kurier's request/reaction takes any
// emoji; any other (the Threema apps) takes 👍 and 👎 only, through
// request/ack, which toggles: withdrawing sends the same thumb again.
func (c *ChatService) React(r Receiver, messageID, emoji string, withdraw bool) error {
	if err := r.validate(); err != nil {
		return err
	}
	if messageID == "" || emoji == "" || len(emoji) > wc.MaxReactionEmojiBytes || !utf8.ValidString(emoji) {
		return fmt.Errorf("%w: a reaction is one emoji on a message", ErrInvalid)
	}
	conn, err := c.ses.current()
	if err != nil {
		return err
	}
	ctx, cancel := c.reqCtx()
	defer cancel()
	lim, _ := c.Limits()
	if lim.AnyReaction {
		_, err := conn.Request(ctx, wc.NewReactionRequest("", wc.ReactionRequest{Receiver: r.wire(), MessageID: messageID,
			Emoji: emoji, Withdraw: withdraw}))
		return err
	}
	if emoji != ThumbsUp && emoji != ThumbsDown {
		return ErrReactionNotSupported
	}
	return conn.Send(ctx, wc.NewAckRequest("", wc.AckRequest{Receiver: r.wire(), MessageID: messageID, Acknowledged: emoji == ThumbsUp}))
}
