package csp

import "testing"

// TestFeatureBits pins the feature-mask values of §3.6: one bit each,
// 0x01 to 0x400 in order, as common.CspFeatureMaskFlag numbers them.
func TestFeatureBits(t *testing.T) {
	t.Parallel()
	bits := []uint64{
		FeatureVoiceMessage, FeatureGroups, FeaturePolls, FeatureFile,
		FeatureAudioCall, FeatureVideoCall, FeatureForwardSecurity, FeatureGroupCall,
		FeatureEditMessage, FeatureDeleteMessage, FeatureReactions,
	}
	for i, b := range bits {
		if want := uint64(1) << i; b != want {
			t.Errorf("bit %d is %#x, want %#x", i, b, want)
		}
	}
	if FeatureReactions != 0x400 {
		t.Fatalf("reactions %#x", FeatureReactions)
	}
}
