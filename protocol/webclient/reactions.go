package webclient

import (
	"fmt"

	"github.com/kurier/kurier/protocol/e2e"
)

// Emoji reactions on the Web protocol (docs/phone.md "Reactions, edits and
// deletions on the Web protocol"). The app presents them in every message
// object as emojiReactions (when it announces capabilities.emojiReactions);
// a real Threema Web reacts only with request/ack (a thumbs up or down that
// the app toggles). Kurier adds one request of its own, request/reaction,
// for any emoji and an explicit withdrawal; an app announces it with
// capabilities.kurierReactions.

// Reaction limits.
const (
	// MaxReactionEmojiBytes bounds one emoji sequence: e2e.MaxReactionLen,
	// the bound of the E2E reaction message.
	MaxReactionEmojiBytes = e2e.MaxReactionLen
	// MaxReactionBuckets bounds the buckets of one message object: a group
	// of 256 members with 20 emoji each could hold more, but no screen shows
	// them; the app sends the newest.
	MaxReactionBuckets = 256
	// MaxReactionIdentities bounds the identities of one bucket (a group's
	// members, the creator and self).
	MaxReactionIdentities = 512
)

// SubReaction is Kurier's request/reaction and its reply response/reaction
// (not in Threema's catalogue).
const SubReaction SubType = "reaction"

// EmojiReaction is one bucket of a message's emojiReactions: an emoji and
// the identities that reacted with it, own identity included (AND
// EmojiReactionConverterUtil).
type EmojiReaction struct {
	Emoji      string
	Identities []string
}

func encodeEmojiReactions(rs []EmojiReaction) []any {
	out := make([]any, 0, len(rs))
	for _, r := range rs {
		ids := make([]any, 0, len(r.Identities))
		for _, id := range r.Identities {
			ids = append(ids, id)
		}
		out = append(out, map[string]any{"emoji": r.Emoji, "identities": ids})
	}
	return out
}

// decodeEmojiReactions reads a message's optional emojiReactions. Like a
// quote, reactions never fail their message: a list that does not decode
// is dropped and noted.
func decodeEmojiReactions(o *obj) []EmojiReaction {
	if !o.has("emojiReactions") || o.isNil("emojiReactions") {
		return nil
	}
	probe := &obj{where: o.where, m: o.m, notes: o.notes}
	a := probe.array("emojiReactions", false, MaxReactionBuckets)
	out := make([]EmojiReaction, 0, len(a))
	for i, v := range a {
		b, err := asObj(fmt.Sprintf("%s.emojiReactions[%d]", o.where, i), v, true, o.notes)
		if err != nil {
			probe.err = err
			break
		}
		r := EmojiReaction{Emoji: b.str("emoji", true, MaxReactionEmojiBytes),
			Identities: b.identities("identities", true, MaxReactionIdentities)}
		if b.err == nil && r.Emoji == "" {
			b.fail(ErrField, "emoji", "is empty")
		}
		if b.err != nil {
			probe.err = b.err
			break
		}
		out = append(out, r)
	}
	if probe.err != nil {
		o.notes.add(o.where + ".emojiReactions skipped: " + probe.err.Error())
		return nil
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ReactionRequest is Kurier's request/reaction: apply or withdraw the own
// emoji reaction to a message. args {type, id, messageId} (messageId is
// the app's message id, as in request/ack; a number is read too), data
// {emoji: string (1..MaxReactionEmojiBytes bytes of UTF-8), withdraw: bool
// (absent: false)}. Send it with an id and the same args.temporaryId, as
// any request; the app answers with response/reaction (ReactionResult) and
// pushes the message with its new emojiReactions as update/messages mode
// modified.
type ReactionRequest struct {
	Receiver  Receiver
	MessageID string
	Emoji     string
	Withdraw  bool
}

// NewReactionRequest builds request/reaction with the correlation id.
func NewReactionRequest(id string, r ReactionRequest) WireMessage {
	a := set{"messageId": r.MessageID}
	r.Receiver.put(a)
	return WireMessage{Type: TypeRequest, SubType: SubReaction, ID: id, Args: a,
		Data: map[string]any{"emoji": r.Emoji, "withdraw": r.Withdraw}}
}

// DecodeReactionRequest decodes request/reaction.
func DecodeReactionRequest(m WireMessage) (ReactionRequest, error) {
	if err := expect(m, TypeRequest, SubReaction); err != nil {
		return ReactionRequest{}, err
	}
	a, err := argsOf(m, true)
	if err != nil {
		return ReactionRequest{}, err
	}
	r := ReactionRequest{MessageID: refID(a, "messageId")}
	if a.err != nil {
		return ReactionRequest{}, fmt.Errorf("webclient: reaction request: %w", a.err)
	}
	if r.Receiver, err = receiverFrom(a); err != nil {
		return ReactionRequest{}, fmt.Errorf("webclient: reaction request: %w", err)
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ReactionRequest{}, fmt.Errorf("webclient: reaction request: %w", err)
	}
	r.Emoji, r.Withdraw = d.str("emoji", true, MaxReactionEmojiBytes), d.boolean("withdraw", false)
	if d.err == nil && r.Emoji == "" {
		d.fail(ErrField, "emoji", "is empty")
	}
	if d.err != nil {
		return ReactionRequest{}, fmt.Errorf("webclient: reaction request: %w", d.err)
	}
	return r, nil
}

// ReactionResult is response/reaction, the app's answer to
// request/reaction: ack {id, success, error?} and args {type, id,
// messageId} plus the legacy temporaryId/success/error of Reply; no data.
type ReactionResult struct {
	Receiver  Receiver
	MessageID string
	Result    Result
}

// NewReactionResult builds response/reaction answering req (err nil: success).
func NewReactionResult(req WireMessage, r Receiver, messageID string, err error) WireMessage {
	a := set{"messageId": messageID}
	r.put(a)
	return Reply(req, TypeResponse, SubReaction, a, nil, err)
}

// DecodeReactionResult decodes response/reaction. A failure decodes without
// error: see Result.Err. The receiver and messageId are read when present
// (an error reply built without them has neither).
func DecodeReactionResult(m WireMessage) (ReactionResult, error) {
	if err := expect(m, TypeResponse, SubReaction); err != nil {
		return ReactionResult{}, err
	}
	res, err := ResultOf(m)
	if err != nil {
		return ReactionResult{}, fmt.Errorf("webclient: reaction result: %w", err)
	}
	out := ReactionResult{Result: res}
	a, err := argsOf(m, false)
	if err != nil {
		return ReactionResult{}, fmt.Errorf("webclient: reaction result: %w", err)
	}
	if a.has("type") || a.has("id") {
		if out.Receiver, err = receiverFrom(a); err != nil {
			return ReactionResult{}, fmt.Errorf("webclient: reaction result: %w", err)
		}
	}
	if a.has("messageId") {
		out.MessageID = refID(a, "messageId")
	}
	if a.err != nil {
		return ReactionResult{}, fmt.Errorf("webclient: reaction result: %w", a.err)
	}
	return out, nil
}
