package metrics

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestSignalingMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := newPromSignaling(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ConnectionsChanged(3)
	m.ConnectionsChanged(-1)
	m.PathsChanged(1)
	m.MessageRelayed()
	m.MessageRelayed()
	m.ProtocolError()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			switch {
			case metric.GetGauge() != nil:
				got[f.GetName()] = metric.GetGauge().GetValue()
			case metric.GetCounter() != nil:
				got[f.GetName()] = metric.GetCounter().GetValue()
			}
		}
	}
	for name, want := range map[string]float64{
		"kurier_signaling_connections":            2,
		"kurier_signaling_paths":                  1,
		"kurier_signaling_relayed_messages_total": 2,
		"kurier_signaling_protocol_errors_total":  1,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
	if _, err := newPromSignaling(reg); err == nil {
		t.Fatal("registering twice succeeded")
	}
}
