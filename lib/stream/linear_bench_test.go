package stream

import (
	"testing"

	"github.com/rivulet-ml/rivulet/lib/synth"
)

// benchLinearRecords draws records of the sender's stream (n = 10, m = 8)
// with counters past 1000, where numpy prints in e notation as it does for
// nearly the whole of a real run.
func benchLinearRecords(b *testing.B) []LinearRecord {
	g, err := synth.NewLinearModel(synth.WithSeed(1))
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]LinearRecord, 1024)
	for i := range recs {
		recs[i].X, recs[i].Y = make([]float64, 10), make([]float64, 8)
		g.Next(recs[i].X, recs[i].Y)
		recs[i].Counter = int64(1000 + i)
	}
	return recs
}

func benchEncode(b *testing.B, f LinearFormat) {
	recs := benchLinearRecords(b)
	c, _ := NewLinearCodec(f, 10, 8)
	var buf []byte
	b.ReportAllocs()
	cpu := startLinearCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		buf, _ = c.Append(buf[:0], &recs[i&1023])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func benchDecode(b *testing.B, f LinearFormat) {
	recs := benchLinearRecords(b)
	c, _ := NewLinearCodec(f, 10, 8)
	msgs := make([][]byte, len(recs))
	for i := range recs {
		msgs[i], _ = c.Append(nil, &recs[i])
	}
	var rec LinearRecord
	b.ReportAllocs()
	cpu := startLinearCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		if err := c.Decode(msgs[i&1023], &rec); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkLinearEncodeNumpy(b *testing.B)  { benchEncode(b, LinearNumpy) }
func BenchmarkLinearDecodeNumpy(b *testing.B)  { benchDecode(b, LinearNumpy) }
func BenchmarkLinearEncodeBinary(b *testing.B) { benchEncode(b, LinearBinary) }
func BenchmarkLinearDecodeBinary(b *testing.B) { benchDecode(b, LinearBinary) }
func BenchmarkLinearEncodeJSON(b *testing.B)   { benchEncode(b, LinearJSON) }
func BenchmarkLinearDecodeJSON(b *testing.B)   { benchDecode(b, LinearJSON) }

// BenchmarkLinearEncodeNumpyPlain: counters below 1000 and values in
// numpy's positional range.
func BenchmarkLinearEncodeNumpyPlain(b *testing.B) {
	recs := benchLinearRecords(b)
	for i := range recs {
		recs[i].Counter = int64(i % 10)
		for j := range recs[i].X {
			recs[i].X[j] = 0.05 + 0.9*recs[i].X[j]
		}
	}
	c, _ := NewLinearCodec(LinearNumpy, 10, 8)
	var buf []byte
	b.ReportAllocs()
	cpu := startLinearCPU(b)
	defer cpu.stop()
	i := 0
	for b.Loop() {
		buf, _ = c.Append(buf[:0], &recs[i&1023])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
