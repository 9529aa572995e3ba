package synth

import "testing"

// BenchmarkNext measures one record per op for each generator with River's
// defaults (ConceptDriftStream: its default Agrawal streams).
func BenchmarkNext(b *testing.B) {
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			s := mustNew(b, name, []string{"seed=1"})
			x := make([]float64, s.NFeatures())
			b.ReportAllocs()
			for b.Loop() {
				s.Next(x)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkTake is the iterator form, one record per op.
func BenchmarkTake(b *testing.B) {
	s := mustNew(b, "agrawal", []string{"seed=1"})
	b.ReportAllocs()
	n := 0
	for _, y := range Take(s, b.N) {
		n += y
	}
}
