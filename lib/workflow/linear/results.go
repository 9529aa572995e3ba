package linear

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rivulet-ml/rivulet/internal/jsonfile"
)

// UnmarshalJSON reads what MarshalJSON wrote, null as NaN.
func (p *Point) UnmarshalJSON(b []byte) error {
	var v struct {
		Records       int64    `json:"records"`
		MAE           *float64 `json:"mae"`
		RMSE          *float64 `json:"rmse"`
		R2            *float64 `json:"r2"`
		RelativeError *float64 `json:"relative_error"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	orNaN := func(f *float64) float64 {
		if f == nil {
			return math.NaN()
		}
		return *f
	}
	*p = Point{Records: v.Records, MAE: orNaN(v.MAE), RMSE: orNaN(v.RMSE), R2: orNaN(v.R2), RelativeError: orNaN(v.RelativeError)}
	return nil
}

// Curve returns a learning curve of the model for plotting: the records
// at each checkpoint and the metric there. metric is "relative_error",
// "mae", "rmse" or "r2". Checkpoints where the metric is undefined (NaN)
// are left out.
func (r *ModelResult) Curve(metric string) (records, values []float64, err error) {
	get, ok := map[string]func(Point) float64{
		"relative_error": func(p Point) float64 { return p.RelativeError },
		"mae":            func(p Point) float64 { return p.MAE },
		"rmse":           func(p Point) float64 { return p.RMSE },
		"r2":             func(p Point) float64 { return p.R2 },
	}[metric]
	if !ok {
		return nil, nil, fmt.Errorf("linear: unknown metric %q (want relative_error, mae, rmse or r2)", metric)
	}
	for _, p := range r.Series {
		if v := get(p); !math.IsNaN(v) {
			records = append(records, float64(p.Records))
			values = append(values, v)
		}
	}
	return records, values, nil
}

// Model returns the result of the named model, or nil.
func (res *LearnResult) Model(name string) *ModelResult {
	for i := range res.Models {
		if res.Models[i].Name == name {
			return &res.Models[i]
		}
	}
	return nil
}

// SaveResult writes res as JSON to path (notebook cells hand results to
// the cells below through a file, since GoNB keeps no values between
// cells).
func SaveResult(path string, res any) error {
	if err := jsonfile.Save(path, res); err != nil {
		return fmt.Errorf("linear: %w", err)
	}
	return nil
}

// LoadLearnResult reads a LearnResult written by SaveResult.
func LoadLearnResult(path string) (*LearnResult, error) {
	var res LearnResult
	if err := jsonfile.Load(path, &res, "the learning cell"); err != nil {
		return nil, fmt.Errorf("linear: %w", err)
	}
	return &res, nil
}

// MatrixTable lays a matrix out for a table: a header row "" + col(0..n−1)
// and one row per matrix row, labelled row(i), values with the given
// number of decimals.
func MatrixTable(b [][]float64, decimals int, row, col func(int) string) (headers []string, rows [][]string) {
	headers = []string{""}
	if len(b) > 0 {
		for j := range b[0] {
			headers = append(headers, col(j))
		}
	}
	for i, r := range b {
		cells := []string{row(i)}
		for _, v := range r {
			cells = append(cells, strconv.FormatFloat(v, 'f', decimals, 64))
		}
		rows = append(rows, cells)
	}
	return headers, rows
}

// Subscript writes i as Unicode subscript digits (y₁, x₁₀).
func Subscript(i int) string {
	var sb strings.Builder
	for _, c := range strconv.Itoa(i) {
		sb.WriteRune('₀' + (c - '0'))
	}
	return sb.String()
}
