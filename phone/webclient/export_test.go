package webclient

// GroupWireID exposes groupWireID to the external tests.
var GroupWireID = groupWireID
