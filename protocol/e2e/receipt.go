package e2e

import (
	"encoding/binary"
	"fmt"
)

// MaxReceiptIDs bounds the message ids of one delivery receipt. It is
// Kurier's choice: 512 × 8 bytes fit in one CSP envelope with room to spare.
const MaxReceiptIDs = 512

// ReceiptStatus is the status of a delivery receipt (§3.5).
type ReceiptStatus uint8

// Receipt statuses (§3.5).
const (
	// ReceiptReceived: the message reached the receiver's device.
	ReceiptReceived ReceiptStatus = 1
	// ReceiptRead: the receiver has read the message.
	ReceiptRead ReceiptStatus = 2
	// ReceiptAcknowledged: the receiver agreed ("thumbs up").
	ReceiptAcknowledged ReceiptStatus = 3
	// ReceiptDeclined: the receiver disagreed ("thumbs down").
	ReceiptDeclined ReceiptStatus = 4
)

// Valid reports whether s is one of the four statuses.
func (s ReceiptStatus) Valid() bool { return s >= ReceiptReceived && s <= ReceiptDeclined }

// DeliveryReceipt (0x80) reports a status for one or more earlier messages of
// the peer. Inner: status u8 ‖ N × message-id u64-le, 1 ≤ N ≤ MaxReceiptIDs.
type DeliveryReceipt struct {
	// Status is the reported status.
	Status ReceiptStatus
	// MessageIDs are the ids of the messages concerned.
	MessageIDs []uint64
}

// Type returns TypeDeliveryReceipt.
func (DeliveryReceipt) Type() byte { return TypeDeliveryReceipt }

func (m DeliveryReceipt) appendInner(dst []byte) ([]byte, error) {
	return appendReceipt(dst, m.Status, m.MessageIDs)
}

func decodeDeliveryReceipt(b []byte) (Message, error) {
	st, ids, err := parseReceipt(b)
	if err != nil {
		return nil, err
	}
	return DeliveryReceipt{Status: st, MessageIDs: ids}, nil
}

func appendReceipt(dst []byte, st ReceiptStatus, ids []uint64) ([]byte, error) {
	if err := checkReceipt(st, len(ids)); err != nil {
		return nil, err
	}
	dst = append(dst, byte(st))
	for _, id := range ids {
		dst = binary.LittleEndian.AppendUint64(dst, id)
	}
	return dst, nil
}

func parseReceipt(b []byte) (ReceiptStatus, []uint64, error) {
	if len(b) < 1+8 || (len(b)-1)%8 != 0 {
		return 0, nil, fmt.Errorf("%w: receipt of %d bytes", ErrMalformed, len(b))
	}
	st := ReceiptStatus(b[0])
	n := (len(b) - 1) / 8
	if err := checkReceipt(st, n); err != nil {
		return 0, nil, err
	}
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = binary.LittleEndian.Uint64(b[1+8*i:])
	}
	return st, ids, nil
}

func checkReceipt(st ReceiptStatus, n int) error {
	switch {
	case !st.Valid():
		return fmt.Errorf("%w: receipt status %d", ErrInvalidField, st)
	case n == 0:
		return fmt.Errorf("%w: receipt without message ids", ErrInvalidField)
	case n > MaxReceiptIDs:
		return fmt.Errorf("%w: receipt of %d ids (max %d)", ErrTooLarge, n, MaxReceiptIDs)
	}
	return nil
}
