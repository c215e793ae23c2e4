package window

import (
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/phonetest"
)

// wav returns seconds of a 440 Hz tone swelling and fading, as a 16-bit
// mono WAV file at 8 kHz: a voice message with a waveform worth drawing.
func wav(seconds int) []byte {
	const rate = 8000
	n := rate * seconds
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], 2*rate)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := range n {
		v := math.Sin(2*math.Pi*440*float64(i)/rate) * math.Sin(math.Pi*float64(i)/float64(n)) * 20000
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(int16(v)))
	}
	return b
}

// voiceJS is the player of Bob's newest voice message.
const voiceJS = `[...document.querySelectorAll('[data-testid=message][data-outgoing=false] [data-testid=voice]')].pop()`

// voice has Bob send a voice message: the window shows its player, and a
// click on play plays it (the audio element's time advances, the progress
// runs over the waveform).
func (w *actionsWorld) voice(t *testing.T) {
	p := w.page.on(t)
	ctx, cancel := context.WithTimeout(context.Background(), phonetest.Timeout)
	defer cancel()
	var err error
	if w.bobVoice, err = w.bob.SendFile(ctx, w.alice.ID(), phone.FileInput{Name: "bob-voice.wav", MIME: "audio/wav", Data: wav(3), Duration: 3}); err != nil {
		t.Fatal(err)
	}
	p.waitJS("Bob's voice message", voiceJS)
	var shown string
	p.value(`(`+voiceJS+`).querySelector('[data-testid=voice-time]').textContent`, &shown)
	if shown != "0:03" {
		t.Errorf("the player shows %q before playing, want its length 0:03", shown)
	}
	p.click("play", `(`+voiceJS+`).querySelector('[data-testid=voice-play]')`, 1)
	p.wait("the voice message playing", func() bool {
		var at float64
		return p.ins.eval(`(`+voiceJS+`).querySelector('audio')?.currentTime ?? 0`, &at) == nil && at > 0.5
	})
	var state struct {
		Status   string  `json:"status"`
		Progress float64 `json:"progress"`
		Paused   bool    `json:"paused"`
	}
	p.wait("the progress over the waveform", func() bool {
		return p.ins.eval(`{
			const v = `+voiceJS+`;
			const a = v.querySelector('audio');
			return { status: v.dataset.status, progress: Number(v.querySelector('[role=slider]')?.dataset.progress ?? 0), paused: a.paused };
		}`, &state) == nil && state.Progress > 0
	})
	if state.Status != "ready" || state.Paused {
		t.Errorf("the player is %q, paused %v, while playing", state.Status, state.Paused)
	}
	p.value(`(`+voiceJS+`).querySelector('[data-testid=voice-time]').textContent`, &shown)
	t.Logf("playing: %s, progress %.2f", shown, state.Progress)
	p.shotAs("voice")
}
