package metrics

import (
	"fmt"
	"strconv"
	"strings"
)

// ConfusionMatrix is River's metrics.ConfusionMatrix over dense classes:
// weighted counts of (true class, predicted class) with running row and
// column sums. Rows are true classes, columns predicted classes. It grows
// as new classes appear; updates of known classes allocate nothing.
type ConfusionMatrix struct {
	k          int       // classes tracked (matrix is k×k)
	data       []float64 // row-major k×k
	sumRow     []float64
	sumCol     []float64
	nSamples   int
	totalW     float64
	totalTrueP float64
}

// NewConfusionMatrix returns an empty matrix.
func NewConfusionMatrix() *ConfusionMatrix { return &ConfusionMatrix{} }

func (cm *ConfusionMatrix) grow(k int) {
	if k <= cm.k {
		return
	}
	nk := max(k, 2*cm.k, 2)
	data := make([]float64, nk*nk)
	for r := 0; r < cm.k; r++ {
		copy(data[r*nk:r*nk+cm.k], cm.data[r*cm.k:(r+1)*cm.k])
	}
	cm.data = data
	cm.sumRow = append(cm.sumRow, make([]float64, nk-cm.k)...)
	cm.sumCol = append(cm.sumCol, make([]float64, nk-cm.k)...)
	cm.k = nk
}

// Update adds a record of true class y predicted as yPred with weight w.
// It panics on a negative class: predictions of "nothing" (-1) must be
// filtered by the caller, as River's evaluators skip them.
func (cm *ConfusionMatrix) Update(y, yPred int, w float64) {
	if y < 0 || yPred < 0 {
		panic(fmt.Sprintf("metrics: negative class in confusion matrix update (y=%d, y_pred=%d)", y, yPred))
	}
	if y >= cm.k || yPred >= cm.k {
		cm.grow(max(y, yPred) + 1)
	}
	cm.nSamples++
	cm.data[y*cm.k+yPred] += w
	cm.totalW += w
	cm.sumRow[y] += w
	cm.sumCol[yPred] += w
	if y == yPred {
		cm.totalTrueP += w
	}
}

// At returns the weight of true class y predicted as yPred.
func (cm *ConfusionMatrix) At(y, yPred int) float64 {
	if y < 0 || yPred < 0 || y >= cm.k || yPred >= cm.k {
		return 0
	}
	return cm.data[y*cm.k+yPred]
}

// Support is the weight of records whose true class is c (River's support).
func (cm *ConfusionMatrix) Support(c int) float64 { return at(cm.sumRow, c) }

// PredictedWeight is the weight of records predicted as c (column sum).
func (cm *ConfusionMatrix) PredictedWeight(c int) float64 { return at(cm.sumCol, c) }

func at(v []float64, i int) float64 {
	if i < 0 || i >= len(v) {
		return 0
	}
	return v[i]
}

// TruePositives of class c.
func (cm *ConfusionMatrix) TruePositives(c int) float64 { return cm.At(c, c) }

// FalsePositives of class c: predicted c, true class other.
func (cm *ConfusionMatrix) FalsePositives(c int) float64 {
	return cm.PredictedWeight(c) - cm.At(c, c)
}

// FalseNegatives of class c: true class c, predicted other.
func (cm *ConfusionMatrix) FalseNegatives(c int) float64 { return cm.Support(c) - cm.At(c, c) }

// TrueNegatives of class c, River's definition: the correctly classified
// weight of all other classes (total true positives minus those of c).
func (cm *ConfusionMatrix) TrueNegatives(c int) float64 { return cm.totalTrueP - cm.At(c, c) }

// TotalTruePositives is the weight of correctly classified records.
func (cm *ConfusionMatrix) TotalTruePositives() float64 { return cm.totalTrueP }

// TotalFalsePositives sums FalsePositives over Classes (in class order,
// as River sums over its class list).
func (cm *ConfusionMatrix) TotalFalsePositives() float64 {
	s := 0.0
	for c := 0; c < cm.k; c++ {
		if cm.present(c) {
			s += cm.FalsePositives(c)
		}
	}
	return s
}

// TotalWeight is the weight of all records.
func (cm *ConfusionMatrix) TotalWeight() float64 { return cm.totalW }

// NumSamples counts the updates.
func (cm *ConfusionMatrix) NumSamples() int { return cm.nSamples }

func (cm *ConfusionMatrix) present(c int) bool { return cm.sumRow[c] != 0 || cm.sumCol[c] != 0 }

// Classes appends to dst the classes seen as truth or prediction with a
// non-zero weight, ascending (River's classes property).
func (cm *ConfusionMatrix) Classes(dst []int) []int {
	for c := 0; c < cm.k; c++ {
		if cm.present(c) {
			dst = append(dst, c)
		}
	}
	return dst
}

// NumClasses counts Classes.
func (cm *ConfusionMatrix) NumClasses() int {
	n := 0
	for c := 0; c < cm.k; c++ {
		if cm.present(c) {
			n++
		}
	}
	return n
}

// Reset empties the matrix, keeping its storage.
func (cm *ConfusionMatrix) Reset() {
	clear(cm.data)
	clear(cm.sumRow)
	clear(cm.sumCol)
	cm.nSamples, cm.totalW, cm.totalTrueP = 0, 0, 0
}

// String renders the matrix with true classes as rows.
func (cm *ConfusionMatrix) String() string {
	classes := cm.Classes(nil)
	if len(classes) == 0 {
		return ""
	}
	cells := make([][]string, len(classes)+1)
	cells[0] = append([]string{""}, make([]string, len(classes))...)
	for j, c := range classes {
		cells[0][j+1] = strconv.Itoa(c)
	}
	for i, r := range classes {
		cells[i+1] = make([]string, len(classes)+1)
		cells[i+1][0] = strconv.Itoa(r)
		for j, c := range classes {
			cells[i+1][j+1] = strconv.FormatFloat(cm.At(r, c), 'g', -1, 64)
		}
	}
	width := make([]int, len(classes)+1)
	for _, row := range cells {
		for j, s := range row {
			width[j] = max(width[j], len(s))
		}
	}
	var b strings.Builder
	for _, row := range cells {
		for j, s := range row {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat(" ", width[j]-len(s)))
			b.WriteString(s)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
