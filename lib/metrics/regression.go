package metrics

import "math"

// MAE is River's metrics.MAE: the weighted mean absolute error.
type MAE struct{ mean riverMean }

// NewMAE returns an empty MAE.
func NewMAE() *MAE { return &MAE{} }

// Name is "MAE".
func (*MAE) Name() string { return "MAE" }

// BiggerIsBetter is false.
func (*MAE) BiggerIsBetter() bool { return false }

// Update adds a record.
func (m *MAE) Update(y, yPred, w float64) { m.mean.update(math.Abs(y-yPred), w) }

// Get returns the mean absolute error.
func (m *MAE) Get() float64 { return m.mean.mean }

// MSE is River's metrics.MSE: the weighted mean squared error.
type MSE struct{ mean riverMean }

// NewMSE returns an empty MSE.
func NewMSE() *MSE { return &MSE{} }

// Name is "MSE".
func (*MSE) Name() string { return "MSE" }

// BiggerIsBetter is false.
func (*MSE) BiggerIsBetter() bool { return false }

// Update adds a record.
func (m *MSE) Update(y, yPred, w float64) {
	d := y - yPred
	m.mean.update(d*d, w)
}

// Get returns the mean squared error.
func (m *MSE) Get() float64 { return m.mean.mean }

// RMSE is River's metrics.RMSE: the square root of the weighted MSE.
type RMSE struct{ MSE }

// NewRMSE returns an empty RMSE.
func NewRMSE() *RMSE { return &RMSE{} }

// Name is "RMSE".
func (*RMSE) Name() string { return "RMSE" }

// Get returns the root mean squared error.
func (m *RMSE) Get() float64 { return math.Sqrt(m.mean.mean) }

// R2 is River's metrics.R2, the coefficient of determination
// 1 − SSE / ((n−1)·Var(y)) with Var the running sample variance of the
// targets. As in River it is 0 while the total weight is at most 1 and
// when the targets have no variance.
type R2 struct {
	n, mean, s float64 // River's stats.Var(ddof=1) of y
	sse        float64
}

// NewR2 returns an empty R2.
func NewR2() *R2 { return &R2{} }

// Name is "R2".
func (*R2) Name() string { return "R2" }

// BiggerIsBetter is true.
func (*R2) BiggerIsBetter() bool { return true }

// Update adds a record.
func (m *R2) Update(y, yPred, w float64) {
	old := m.mean
	m.n += w
	// River's stats.Var update order; float64() forbids fused multiply-adds.
	m.mean += float64((w / m.n) * (y - m.mean))
	m.s += float64(w * (y - old) * (y - m.mean))
	m.sse += float64((y - yPred) * (y - yPred) * w)
}

// Get returns R².
func (m *R2) Get() float64 {
	if !(m.n > 1) {
		return 0
	}
	tss := (m.n - 1) * (m.s / (m.n - 1))
	if tss == 0 {
		return 0
	}
	return 1 - m.sse/tss
}
