package webclient

import "testing"

// BenchmarkMessagesResponse50 decodes and re-encodes a response/messages page
// of 50 messages (text, quotes, files with thumbnails, locations).
func BenchmarkMessagesResponse50(b *testing.B) {
	req := WireMessage{Type: TypeRequest, SubType: SubMessages, ID: "abc123"}
	wire, err := Encode(NewMessagesResponse(req, MessagesResponse{Receiver: toBob, More: true, Messages: sampleMessages(50)}))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Decode(wire)
		if err != nil {
			b.Fatal(err)
		}
		r, err := DecodeMessagesResponse(m)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Encode(NewMessagesResponse(req, r)); err != nil {
			b.Fatal(err)
		}
	}
}
