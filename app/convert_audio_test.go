package app

import (
	"testing"

	wc "github.com/kurier/kurier/protocol/webclient"
)

// TestMessageOfAudio: a voice message keeps its stated length; one that a
// Threema phone sends without a file object still has a file to play.
func TestMessageOfAudio(t *testing.T) {
	bob := Receiver{Type: ReceiverContact, ID: "BOB00001"}
	for _, tc := range []struct {
		name string
		m    wc.Message
		want FileInfo
	}{
		{"with a file object", wc.Message{Type: wc.MessageAudio, ID: "1", Audio: &wc.Media{Duration: 7},
			File: &wc.FileInfo{Name: "voice.aac", Size: 900, Type: "audio/aac"}}, FileInfo{Name: "voice.aac", Size: 900, Mime: "audio/aac", Duration: 7}},
		{"audio only", wc.Message{Type: wc.MessageAudio, ID: "2", Audio: &wc.Media{Duration: 3}}, FileInfo{Mime: "audio/ogg", Duration: 3}},
	} {
		got := messageOf(bob, tc.m, "ME000001")
		if got.Type != "audio" || got.File == nil || *got.File != tc.want {
			t.Errorf("%s: %+v %+v", tc.name, got, got.File)
		}
	}
}
