package stats

// NumpySum adds v in the order of numpy.add.reduce on a contiguous float64
// array (checked against NumPy 2.4 on random arrays): NumPy's pairwise sum,
// with eight interleaved partial sums per block of up to 128 values and
// larger arrays split in halves.
func NumpySum(v []float64) float64 { return pairwiseSum(v) }

func pairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum(a[:n2]) + pairwiseSum(a[n2:])
	}
}
