package e2e

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxReactionLen bounds the emoji sequence of a reaction in bytes. It is
// Kurier's choice: no bound was found in the Threema sources, whose senders
// only ever send one fully-qualified emoji from their picker. The longest of
// those are about 35 bytes (a kiss or couple with two skin tones); 64 leaves
// room for newer sequences and keeps junk small.
const MaxReactionLen = 64

// The emoji a legacy agree/decline receipt stands for, fully qualified (the
// Threema apps' default thumbs up and down; desktop DEFAULT_THUMBS_UP_EMOJI).
const (
	// ThumbsUp (U+1F44D) stands for ReceiptAcknowledged.
	ThumbsUp = "\U0001F44D"
	// ThumbsDown (U+1F44E) stands for ReceiptDeclined.
	ThumbsDown = "\U0001F44E"
)

// Reaction (0x82) applies or withdraws an emoji reaction to an earlier 1:1
// message, of either side. Inner: protobuf csp_e2e.Reaction
//
//	fixed64 message_id = 1;            // tag 0x09
//	oneof action {
//	  bytes apply    = 2;              // tag 0x12, UTF-8 emoji sequence
//	  bytes withdraw = 3;              // tag 0x1a, UTF-8 emoji sequence
//	}
//
// (threema-desktop's generated csp_e2e.Reaction; Android ReactionMessageData).
// A sender may hold several reactions on one message, one per emoji; a
// withdrawal removes only the one named. The sender checks the peer's
// feature mask for csp.FeatureReactions (0x400) and otherwise sends the
// receipt of LegacyStatus, or nothing. The receiver drops a reaction to a
// message it does not have or that was deleted, and shows a sequence that is
// not a single fully-qualified emoji as U+FFFD, as the Threema apps do; this
// package does not check emoji against the Unicode tables.
type Reaction struct {
	// MessageID is the id of the message reacted to; it must not be 0.
	MessageID uint64
	// Withdraw is true to withdraw the reaction, false to apply it.
	Withdraw bool
	// Emoji is the emoji sequence: valid UTF-8, 1..MaxReactionLen bytes.
	Emoji string
}

// Type returns TypeReaction.
func (Reaction) Type() byte { return TypeReaction }

func (m Reaction) appendInner(dst []byte) ([]byte, error) {
	if m.MessageID == 0 {
		return nil, fmt.Errorf("%w: reaction to message id 0", ErrInvalidField)
	}
	if err := checkEmoji(m.Emoji); err != nil {
		return nil, err
	}
	dst = appendFixed64Field(dst, 1, m.MessageID)
	field := 2
	if m.Withdraw {
		field = 3
	}
	return appendBytesField(dst, field, []byte(m.Emoji)), nil
}

func decodeReaction(b []byte) (Message, error) {
	r, err := parseReaction(b)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// parseReaction reads a csp_e2e.Reaction. Unknown fields are skipped; of
// repeated fields, and of apply and withdraw, the last one counts, as in
// protobuf (a oneof keeps the member set last).
func parseReaction(b []byte) (Reaction, error) {
	var m Reaction
	action := false
	r := protoReader{b: b}
	for !r.done() {
		num, wt, err := r.next()
		if err != nil {
			return Reaction{}, err
		}
		switch num {
		case 1:
			if err := expect(num, wt, wireFixed64); err != nil {
				return Reaction{}, err
			}
			if m.MessageID, err = r.fixed64(); err != nil {
				return Reaction{}, err
			}
		case 2, 3:
			if err := expect(num, wt, wireBytes); err != nil {
				return Reaction{}, err
			}
			v, err := r.bytes()
			if err != nil {
				return Reaction{}, err
			}
			m.Withdraw, m.Emoji, action = num == 3, string(v), true
		default:
			if err := r.skip(wt); err != nil {
				return Reaction{}, err
			}
		}
	}
	switch {
	case m.MessageID == 0:
		return Reaction{}, fmt.Errorf("%w: reaction without message id", ErrInvalidField)
	case !action:
		return Reaction{}, fmt.Errorf("%w: reaction neither applied nor withdrawn", ErrInvalidField)
	}
	if err := checkEmoji(m.Emoji); err != nil {
		return Reaction{}, err
	}
	return m, nil
}

// checkEmoji validates an emoji sequence. Errors carry lengths only.
func checkEmoji(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty reaction emoji", ErrInvalidField)
	case len(s) > MaxReactionLen:
		return fmt.Errorf("%w: reaction emoji of %d bytes (max %d)", ErrTooLarge, len(s), MaxReactionLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: reaction emoji is not UTF-8", ErrInvalidField)
	}
	return nil
}

// skinTones are the five Fitzpatrick modifiers U+1F3FB..U+1F3FF.
const skinTones = "\U0001F3FB\U0001F3FC\U0001F3FD\U0001F3FE\U0001F3FF"

// isThumb reports whether s is thumb, bare or with one skin tone.
func isThumb(s, thumb string) bool {
	rest, ok := strings.CutPrefix(s, thumb)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	r, n := utf8.DecodeRuneInString(rest)
	return n == len(rest) && strings.ContainsRune(skinTones, r)
}

// LegacyStatus returns the delivery-receipt status that stands in for m
// towards a peer without csp.FeatureReactions: ReceiptAcknowledged for an
// applied thumbs up, ReceiptDeclined for an applied thumbs down (either bare
// or with a skin tone). ok is false for a withdrawal and for any other emoji:
// those have no legacy form and are not sent to such a peer (threema-desktop
// legacyReactionMappingSteps). The receipt is sent with no flags, as a 0x80
// (1:1) or inside the group's member container as a 0x81.
func (m Reaction) LegacyStatus() (st ReceiptStatus, ok bool) {
	switch {
	case m.Withdraw:
		return 0, false
	case isThumb(m.Emoji, ThumbsUp):
		return ReceiptAcknowledged, true
	case isThumb(m.Emoji, ThumbsDown):
		return ReceiptDeclined, true
	}
	return 0, false
}

// LegacyReaction returns the emoji a received agree/decline receipt stands
// for: ThumbsUp for ReceiptAcknowledged, ThumbsDown for ReceiptDeclined; ok
// is false for the other statuses. The apps apply it as a reaction of the
// receipt's sender and withdraw that sender's opposite thumb, since an agree
// replaces a decline and the other way round.
func LegacyReaction(st ReceiptStatus) (emoji string, ok bool) {
	switch st {
	case ReceiptAcknowledged:
		return ThumbsUp, true
	case ReceiptDeclined:
		return ThumbsDown, true
	}
	return "", false
}

// GroupReaction (0x83) is a Reaction to a group message. Inner:
// group-member container of a csp_e2e.Reaction (see Reaction). The sender
// sends it to the members whose feature mask has csp.FeatureReactions and
// the GroupDeliveryReceipt of Reaction.LegacyStatus (or nothing) to the
// others.
type GroupReaction struct {
	// Group is the group.
	Group Group
	// Reaction is the reaction.
	Reaction Reaction
}

// Type returns TypeGroupReaction.
func (GroupReaction) Type() byte { return TypeGroupReaction }

func (m GroupReaction) appendInner(dst []byte) ([]byte, error) {
	dst, err := m.Group.appendTo(dst)
	if err != nil {
		return nil, err
	}
	return m.Reaction.appendInner(dst)
}

func decodeGroupReaction(b []byte) (Message, error) {
	g, rest, err := splitMemberContainer(b)
	if err != nil {
		return nil, err
	}
	r, err := parseReaction(rest)
	if err != nil {
		return nil, err
	}
	return GroupReaction{Group: g, Reaction: r}, nil
}
