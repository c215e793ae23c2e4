package csp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestParseFrameHeaderBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    uint16
		want error
	}{
		{0, ErrLength},
		{MinFrameLen - 1, ErrLength},
		{MinFrameLen, nil},
		{MaxFrameLen, nil},
		{MaxFrameLen + 1, ErrFrameTooLarge},
		{0xffff, ErrFrameTooLarge},
	}
	for _, tt := range tests {
		n, err := ParseFrameHeader(binary.LittleEndian.AppendUint16(nil, tt.n))
		if !errors.Is(err, tt.want) || (err == nil && n != int(tt.n)) {
			t.Errorf("%d: %d, %v, want %v", tt.n, n, err, tt.want)
		}
	}
}

func TestReadFrame(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte{7}, 30)
	frame := append(binary.LittleEndian.AppendUint16(nil, 30), body...)
	buf := make([]byte, MaxFrameLen)
	got, err := ReadFrame(bytes.NewReader(frame), buf)
	if err != nil || !bytes.Equal(got, body) || &got[0] != &buf[0] {
		t.Fatalf("ReadFrame: %x, %v", got, err)
	}
	if _, err := ReadFrame(bytes.NewReader(nil), buf); err != io.EOF {
		t.Fatalf("empty input: %v", err)
	}
	if _, err := ReadFrame(bytes.NewReader(frame[:1]), buf); err != io.ErrUnexpectedEOF {
		t.Fatalf("half header: %v", err)
	}
	if _, err := ReadFrame(bytes.NewReader(frame[:10]), buf); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated body: %v", err)
	}
	if _, err := ReadFrame(bytes.NewReader([]byte{0xff, 0xff}), buf); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
}

func TestSessionRejectsBadFrames(t *testing.T) {
	t.Parallel()
	p := handshake(t, Extensions{})
	if _, err := p.client.SealFrame(nil, make([]byte, MaxContainerLen+1)); !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("oversized container: %v", err)
	}
	if _, err := p.server.OpenFrame(nil, make([]byte, MinFrameLen-1)); !errors.Is(err, ErrLength) {
		t.Fatalf("short frame: %v", err)
	}
	if _, err := p.server.OpenFrame(nil, make([]byte, MinFrameLen)); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("garbage frame: %v", err)
	}
	// Reflection: a frame the server sealed is not accepted back by the server.
	f, _ := p.server.SealPayload(nil, nil, EchoRequest{})
	if _, err := p.server.OpenFrame(nil, f[FrameHeaderLen:]); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("reflected frame: %v", err)
	}
}
