package naivebayes

import (
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/snapshot"
)

// Both models intern the features they see into dense slots with a
// feature.SlotIndex, in first-seen order (River's feature_counts order),
// so per-class statistics are compact arrays sized by the number of
// distinct features, whatever the index range (MaliciousURL's indices
// reach 3.2 million while a model sees some ten thousand features).

// encodeSlots writes the slot -> feature index list; the snapshot layout
// is the one of the earlier per-package table, so version 1 snapshots
// still decode.
func encodeSlots(e *snapshot.Encoder, s *feature.SlotIndex) { e.Int32s(s.Features()) }

// decodeSlots rebuilds the index from the slot -> feature index list.
func decodeSlots(d *snapshot.Decoder, s *feature.SlotIndex) {
	feats := d.Int32s()
	if d.Err() != nil {
		return
	}
	if err := s.Restore(feats); err != nil {
		d.Fail("naive Bayes: %v", err)
	}
}
